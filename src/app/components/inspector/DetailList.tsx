/** A two-column list of facts about a node ("Term 3", "Flushed 0/1F40"), shared by the inspectors. */
export function DetailList({ rows }: { rows: readonly (readonly [string, string])[] }) {
  return (
    <dl className="detail-table">
      {rows.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
