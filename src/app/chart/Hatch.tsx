/** A diagonal hatch for SVG bars that mean something went wrong (rejected writes, downtime): a tint with darker stripes, so it reads without colour too. */
export function Hatch({ id, fill, stroke, strokeWidth }: { id: string; fill: string; stroke: string; strokeWidth: number }) {
  return (
    <defs>
      <pattern id={id} width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="4" height="4" fill={fill} />
        <line x1="0" y1="0" x2="0" y2="4" stroke={stroke} strokeWidth={strokeWidth} />
      </pattern>
    </defs>
  );
}
