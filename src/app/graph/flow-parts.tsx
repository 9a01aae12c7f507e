/**
 * What the cards and links of the graph need from whatever draws the graph around them. The
 * playground draws with React Flow (GraphView.tsx), which pans and zooms; an embed draws a still
 * picture with the same markup and classes (StillGraph.tsx) and never downloads React Flow, to
 * keep within its download budget. The two hand down their parts here, as motion-elements.tsx
 * does for Motion: this module imports nothing of React Flow's at run time.
 */
import { createContext, useContext, type ComponentType } from 'react';

export interface FlowParts {
  /** A value derived from the view's zoom; the caller re-renders only when that value changes (a hook). */
  readonly useZoomed: <T>(select: (zoom: number) => T) => T;
  /** Drawn inside each card: React Flow's hidden handles, where its links attach; null when links are placed without them. */
  readonly Handles: ComponentType | null;
}

const FlowPartsContext = createContext<FlowParts>({ useZoomed: (select) => select(1), Handles: null });

export const FlowPartsProvider = FlowPartsContext.Provider;

export function useFlowParts(): FlowParts {
  return useContext(FlowPartsContext);
}

/**
 * A link's line as React Flow's `BaseEdge` draws it: the visible path, and a wide transparent one
 * over it that takes the clicks.
 */
export function EdgePath({ id, path, className, interactionWidth }: { id: string; path: string; className: string; interactionWidth: number }) {
  return (
    <>
      <path id={id} d={path} fill="none" className={`react-flow__edge-path ${className}`} />
      <path d={path} fill="none" strokeOpacity={0} strokeWidth={interactionWidth} className="react-flow__edge-interaction" />
    </>
  );
}
