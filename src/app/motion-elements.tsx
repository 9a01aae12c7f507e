/**
 * The animated elements the parts shared by the playground and the embed draw with (a node on the
 * stage, its role word, the lesson step). The playground hands down Motion's `m` elements
 * (AnimatedPlayground.tsx, inside LazyMotion); an embed never loads Motion, to keep within its
 * download budget, and draws still elements instead: the same markup at the state the animation
 * would end in. This module imports nothing of Motion's at run time, so the embed's files hold none.
 */
import { createContext, createElement, useContext, type ComponentType, type CSSProperties, type HTMLAttributes } from 'react';

/** What these elements animate. */
export interface Pose {
  readonly opacity?: number;
  readonly scale?: number;
  readonly x?: number;
  readonly y?: number;
}

export interface AnimatedProps extends HTMLAttributes<HTMLElement> {
  /** The pose it enters from; false: it enters at `animate` (reduced motion, or no entrance). */
  readonly initial?: Pose | false;
  /** The pose it moves to and stays at. */
  readonly animate: Pose;
  readonly transition?: object;
  /** A data attribute or two ride along (`data-node-id`…). */
  readonly [data: `data-${string}`]: string | number | undefined;
}

export interface MotionElements {
  readonly div: ComponentType<AnimatedProps>;
  readonly span: ComponentType<AnimatedProps>;
  /** Whether nothing may move (the reader's reduced-motion setting; a still page: always). */
  readonly useReduced: () => boolean;
}

/** The style of a pose, for an element that is drawn there without moving. */
export function poseStyle(pose: Pose): CSSProperties {
  const { opacity = 1, scale = 1, x = 0, y = 0 } = pose;
  const moved = x !== 0 || y !== 0;
  const transform = [moved ? `translate(${x}px, ${y}px)` : '', scale !== 1 ? `scale(${scale})` : ''].filter(Boolean).join(' ');
  return { ...(opacity !== 1 ? { opacity } : {}), ...(transform ? { transform } : {}) };
}

function still(tag: 'div' | 'span'): ComponentType<AnimatedProps> {
  function Still({ initial: _initial, animate, transition: _transition, style, ...rest }: AnimatedProps) {
    return createElement(tag, { ...rest, style: { ...style, ...poseStyle(animate) } });
  }
  Still.displayName = `Still.${tag}`;
  return Still;
}

export const STILL_ELEMENTS: MotionElements = { div: still('div'), span: still('span'), useReduced: () => true };

const MotionElementsContext = createContext<MotionElements>(STILL_ELEMENTS);
export const MotionElementsProvider = MotionElementsContext.Provider;

/** The page's animated elements: Motion's in the playground, still ones in an embed. */
export function useMotionElements(): MotionElements {
  return useContext(MotionElementsContext);
}
