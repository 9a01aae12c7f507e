/** Motion's DOM animations, fetched by LazyMotion (main.tsx) after the first render instead of with it. */
export { domAnimation as default } from 'motion/react';
