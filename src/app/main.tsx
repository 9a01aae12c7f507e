/**
 * Entry point: starts the worker, opens the scenario the address asks for, renders the page. The
 * playground and the embed (`?embed=1`) are each loaded on demand, so that an article's embed
 * downloads none of the playground's toolbar, dialogs, panels and chart.
 */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from './components/shell/ErrorBoundary';
import { isEmbedded } from './embed/mode';
import { boot } from './store/engine';
import { watchAbLinks } from './ab/ab-link';
import './styles.css';

const embedded = isEmbedded(location.search);
// Two separate imports: in one expression the bundler would preload both pages' files.
const loadEmbed = () => import('./embed/EmbedApp').then((m) => ({ default: m.EmbedApp }));
const loadPlayground = () => import('./AnimatedPlayground').then((m) => ({ default: m.AnimatedPlayground }));
const Page = lazy(embedded ? loadEmbed : loadPlayground);

if (embedded) document.documentElement.classList.add('embedded');
// Before boot: opening a preset rewrites the address, and the A/B part of a link must be read first.
if (!embedded) watchAbLinks();
boot({ embedded });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      {/* The playground brings Motion with it (AnimatedPlayground.tsx); an embed draws still. */}
      <Suspense fallback={null}>
        <Page />
      </Suspense>
    </ErrorBoundary>
  </StrictMode>,
);
