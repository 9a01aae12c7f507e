/**
 * A data centre: the box that groups the nodes of one region, its name, and the switch that
 * blacks it out or restores it (`region-down` / `region-up`, recorded at the simulated time).
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { commands } from '../store/engine';
import { useSim } from '../store/sim-store';
import { useFlowParts } from './flow-parts';

export interface RegionData extends Record<string, unknown> {
  readonly region: 'primary' | 'dr';
}

/** The header stays legible when the graph is zoomed far out (a phone): it grows against the zoom, up to twice. */
const HEADER_GROWTH_MAX = 2;
/**
 * Header widths (in its own unscaled pixels) below which the full title and the switch do not fit
 * side by side ("Primary data centre · mumbai" and "Black out singapore" take 374): the short title then.
 */
const SHORT_TITLE_BELOW = 376;
/**
 * The header never grows so wide that it needs a second line: a second line would reach down over
 * the box's first row of nodes (the layout leaves the header one line's room, Frame.title in
 * layout.ts). This many unscaled pixels hold the short title and the switch side by side, in full:
 * "DR · singapore" and "Black out singapore" take 258 (at 200 the DR box beside the combined
 * setup's primary read "DR · singap…" at 1366×768).
 */
const ONE_LINE_HEADER = 262;

function RegionView({ data, width, height }: NodeProps & { data: RegionData }) {
  const zoomGrowth = useFlowParts().useZoomed((zoom) => Math.min(HEADER_GROWTH_MAX, Math.max(1, 1 / zoom)));
  const growth = Math.max(1, Math.min(zoomGrowth, ((width ?? 260) - 24) / ONE_LINE_HEADER));
  const name = useSim((s) => s.info?.regions[data.region] ?? data.region);
  const dark = useSim((s) => s.faults.darkRegions.includes(data.region));
  const title = data.region === 'primary' ? 'Primary data centre' : 'DR data centre';
  // Zoomed far out the header grows and its room shrinks: the title then says "DR · singapore", in full for screen readers.
  const short = ((width ?? 260) - 24) / growth < SHORT_TITLE_BELOW;
  const toggle = () => commands.act({ do: dark ? 'region-up' : 'region-down', region: data.region });
  return (
    <div className={`region-box${dark ? ' is-dark' : ''}`} style={{ width, height }} data-region={data.region}>
      <div className="region-header" style={{ width: ((width ?? 260) - 24) / growth, transform: `scale(${growth})` }}>
        <span className="region-title" title={`${title} · ${name}`}>
          {short ? (
            <>
              {data.region === 'primary' ? 'Primary' : 'DR'}
              <span className="visually-hidden"> data centre</span> · {name}
            </>
          ) : (
            <>
              {title} · {name}
            </>
          )}
        </span>
        {dark && (
          <span className="region-dark-note">
            Dark: no power, no network
          </span>
        )}
        <button type="button" className={`region-switch nodrag nopan${dark ? '' : ' danger'}`} onClick={toggle}>
          {dark ? `Restore ${name}` : `Black out ${name}`}
        </button>
      </div>
    </div>
  );
}

export const RegionNode = memo(RegionView);
