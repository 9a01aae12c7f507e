/**
 * One message, drawn by its family: each has its own shape as well as colour (a legend explains
 * them). A message that will be lost is drawn red; over its last fifth it shows a cross and fades.
 */
import type { InFlightMessage } from '../../sim';
import { OVER_CARD_OPACITY } from './message-path';

interface Props {
  readonly message: InFlightMessage;
  readonly progress: number;
  readonly x: number;
  readonly y: number;
  /** Drawn this many times its usual size (the graph grows glyphs when it is zoomed out). */
  readonly scale?: number;
  /** Drawn faint: it is crossing a card's text, which shows through (message-path.ts). */
  readonly faint?: boolean;
}

/** Where a lost message starts to die: from here on it fades and shows a cross. */
const DYING_FROM = 0.8;

function shape(family: string, label: string) {
  switch (family) {
    case 'vote-request':
    case 'election':
      return <path d="M0 -8 L8 0 L0 8 L-8 0 Z" />;
    case 'vote': {
      const refused = /\bno\b/.test(label);
      return (
        <>
          <circle r={7} />
          <text className="msg-mark" textAnchor="middle" dominantBaseline="central">
            {refused ? '✗' : '✓'}
          </text>
        </>
      );
    }
    case 'heartbeat':
      // A heart: the leader saying "I am still here".
      return <path d="M0 6.5 L-6 0.5 A3.4 3.4 0 0 1 0 -4 A3.4 3.4 0 0 1 6 0.5 Z" />;
    case 'append':
      return <rect x={-7} y={-6} width={14} height={12} rx={2} />;
    case 'append-ack':
      return <path d="M-6 5 L0 -6 L6 5 Z" />;
    case 'snapshot':
      // A parcel: a leader's compacted log, sent whole (InstallSnapshot), larger than an append.
      return (
        <>
          <rect x={-9} y={-7} width={18} height={14} rx={2} />
          <path className="msg-lines" d="M0 -7 V7 M-9 0 H9" />
        </>
      );
    case 'wal':
      // A page of log: a wide card with two written lines.
      return (
        <>
          <rect x={-9} y={-6} width={18} height={12} rx={1.5} />
          <path className="msg-lines" d="M-6 -2 H6 M-6 2 H3" />
        </>
      );
    case 'wal-ack':
      return <rect x={-6} y={-2.5} width={12} height={5} rx={2.5} />;
    case 'health-check':
      return <path d="M-2.5 -8 H2.5 V-2.5 H8 V2.5 H2.5 V8 H-2.5 V2.5 H-8 V-2.5 H-2.5 Z" />;
    case 'health-reply':
      return <circle className="msg-ring" r={5} />;
    case 'command':
      return <path d="M-4 -7 H4 L8 0 L4 7 H-4 L-8 0 Z" />;
    case 'request':
      // An envelope: a client's request on its way to a server.
      return (
        <>
          <rect x={-8} y={-5.5} width={16} height={11} rx={1.5} />
          <path className="msg-lines" d="M-8 -5 L0 1 L8 -5" />
        </>
      );
    case 'response':
      // A speech bubble: the server's answer.
      return <path d="M-7 -6 H7 V3 H-1 L-5 7 V3 H-7 Z" />;
    case 'coordinator':
      return <path d="M0 -8 L2.4 -2.4 L8 -2 L3.6 1.8 L5 8 L0 4.6 L-5 8 L-3.6 1.8 L-8 -2 L-2.4 -2.4 Z" />;
    default:
      return <circle r={5} />;
  }
}

export function MessageGlyph({ message, progress, x, y, scale = 1, faint = false }: Props) {
  const lost = message.dropped !== null;
  const dying = lost && progress >= DYING_FROM;
  const opacity = Math.min(dying ? Math.max(0.15, 1 - (progress - DYING_FROM) / (1 - DYING_FROM)) : 1, faint ? OVER_CARD_OPACITY : 1);
  return (
    <g
      className={`msg msg-${message.look.family}${lost ? ' is-lost' : ''}`}
      transform={`translate(${x} ${y})${scale === 1 ? '' : ` scale(${scale.toFixed(3)})`}`}
      opacity={opacity}
      data-message={message.look.family}
      data-dropped={lost ? 'true' : 'false'}
      data-faint={faint ? 'true' : undefined}
    >
      <title>{`${message.look.label}: ${message.from} → ${message.to}${lost ? ` (lost: ${message.dropped})` : ''}`}</title>
      {shape(message.look.family, message.look.label)}
      {dying && <path className="msg-cross" d="M-7 -7 L7 7 M7 -7 L-7 7" />}
    </g>
  );
}
