/**
 * A card that fades and slides in when it enters and out when it leaves (inside AnimatePresence),
 * with Motion's `m` component: the page loads Motion's DOM animations once through LazyMotion
 * (AnimatedPlayground.tsx); Appear is the playground's alone, so an embed stays small. With reduced motion (MotionConfig `user`) nothing slides.
 */
import type { ReactNode } from 'react';
import * as m from 'motion/react-m';

const ENTER = { opacity: 0, y: -6 };
const SHOWN = { opacity: 1, y: 0 };
const LEAVE = { opacity: 0, y: -6, transition: { duration: 0.12 } };

export function Appear({ children, className }: { readonly children: ReactNode; readonly className?: string }) {
  return (
    <m.div className={className} initial={ENTER} animate={SHOWN} exit={LEAVE} transition={{ duration: 0.22, ease: 'easeOut' }}>
      {children}
    </m.div>
  );
}
