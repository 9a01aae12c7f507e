/**
 * A card that fades and slides in when it enters and out when it leaves (inside AnimatePresence),
 * with Motion's `m` component: the page loads Motion's DOM animations once through LazyMotion
 * (AnimatedPlayground.tsx); Appear is the playground's alone, so an embed stays small. With reduced motion (MotionConfig `user`) nothing slides.
 * A card on its way out is inert and hidden from screen readers: under `mode="wait"` it stays on
 * screen for its exit, and a quick click on its Crash button must not break the node that was
 * selected before (the new card appears as soon as the old one is gone).
 */
import type { ReactNode } from 'react';
import { useIsPresent } from 'motion/react';
import * as m from 'motion/react-m';

const ENTER = { opacity: 0, y: -6 };
const SHOWN = { opacity: 1, y: 0 };
const LEAVE = { opacity: 0, y: -6, transition: { duration: 0.12 } };

export function Appear({ children, className }: { readonly children: ReactNode; readonly className?: string }) {
  const present = useIsPresent();
  return (
    <m.div className={className} inert={!present} aria-hidden={present ? undefined : true} initial={ENTER} animate={SHOWN} exit={LEAVE} transition={{ duration: 0.22, ease: 'easeOut' }}>
      {children}
    </m.div>
  );
}
