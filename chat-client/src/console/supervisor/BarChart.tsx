/**
 * A small bar chart in SVG, no library: one `role="img"` with its label as the
 * accessible name and `<title>`, so a screen reader hears the figures at once.
 * Sizes are SVG attributes and colours are classes (the CSP allows no inline style).
 */
import { For } from "solid-js";

export interface Bar {
  /** Under the bar, e.g. a short date. */
  label: string;
  value: number;
}

const BAR = 36;
const GAP = 16;
const TOP = 22; // room for the value above the tallest bar
const PLOT = 110;
const BOTTOM = 24; // room for the label under the bar

export function BarChart(props: { label: string; bars: Bar[] }) {
  const width = () => Math.max(1, props.bars.length) * (BAR + GAP) + GAP;
  const height = TOP + PLOT + BOTTOM;
  const max = () => Math.max(1, ...props.bars.map((b) => b.value));
  const barHeight = (value: number) => Math.round((Math.max(0, value) / max()) * PLOT);
  const x = (index: number) => GAP + index * (BAR + GAP);

  return (
    <svg class="bar-chart" role="img" aria-label={props.label} viewBox={`0 0 ${width()} ${height}`} width={width()} height={height}>
      <title>{props.label}</title>
      <line class="baseline" x1={0} x2={width()} y1={TOP + PLOT} y2={TOP + PLOT} />
      <For each={props.bars}>
        {(bar, index) => (
          <g class="bar-group">
            <rect class="bar" x={x(index())} y={TOP + PLOT - barHeight(bar.value)} width={BAR} height={barHeight(bar.value)} />
            <text class="bar-value" x={x(index()) + BAR / 2} y={TOP + PLOT - barHeight(bar.value) - 6}>{bar.value}</text>
            <text class="bar-label" x={x(index()) + BAR / 2} y={TOP + PLOT + 17}>{bar.label}</text>
          </g>
        )}
      </For>
    </svg>
  );
}
