/**
 * The playground with Motion: Motion's DOM animations, loaded once (after the first render) for
 * every `m` component through LazyMotion, the reader's reduced-motion setting honoured everywhere,
 * and Motion's elements handed to the parts the embed shares (motion-elements.tsx). The embed
 * loads none of this.
 */
import type { ComponentType } from 'react';
import { LazyMotion, MotionConfig, useReducedMotionConfig } from 'motion/react';
import * as m from 'motion/react-m';
import { App } from './App';
import { MotionElementsProvider, type AnimatedProps, type MotionElements } from './motion-elements';

const loadMotionFeatures = () => import('./motion-features').then((features) => features.default);

// Motion's elements take every prop the still ones do (their event handler types are Motion's own).
const MOTION_ELEMENTS: MotionElements = {
  div: m.div as unknown as ComponentType<AnimatedProps>,
  span: m.span as unknown as ComponentType<AnimatedProps>,
  useReduced: () => useReducedMotionConfig() ?? false,
};

export function AnimatedPlayground() {
  return (
    <LazyMotion features={loadMotionFeatures} strict>
      <MotionConfig reducedMotion="user">
        <MotionElementsProvider value={MOTION_ELEMENTS}>
          <App />
        </MotionElementsProvider>
      </MotionConfig>
    </LazyMotion>
  );
}
