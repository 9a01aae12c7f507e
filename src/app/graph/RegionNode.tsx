/** A data centre: the box that groups the nodes of one region, with its name and whether it is dark. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useSim } from '../store/sim-store';

export interface RegionData extends Record<string, unknown> {
  readonly region: 'primary' | 'dr';
}

function RegionView({ data, width, height }: NodeProps & { data: RegionData }) {
  const name = useSim((s) => s.info?.regions[data.region] ?? data.region);
  const dark = useSim((s) => s.faults.darkRegions.includes(data.region));
  const title = data.region === 'primary' ? 'Primary data centre' : 'DR data centre';
  return (
    <div className={`region-box${dark ? ' is-dark' : ''}`} style={{ width, height }} aria-hidden="true">
      <span className="region-title">
        {title} · {name}
        {dark ? ' · dark' : ''}
      </span>
    </div>
  );
}

export const RegionNode = memo(RegionView);
