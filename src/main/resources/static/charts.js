// Charts of the dashboard: uPlot line charts with a rolling history, SVG bars of the percentiles, and the rule for request rates.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

export const STABLE = '#2563eb';
export const CANARY = '#e8590c';

const HEIGHT = 220;
const AXIS = { stroke: '#5b6776', grid: { stroke: '#f0f2f6', width: 1 }, ticks: { stroke: '#dde3ea', width: 1 } };
const SVG = 'http://www.w3.org/2000/svg';

/** A number of milliseconds in at most three significant digits, for labels and tables. */
export function ms(value) {
	if (value == null || !Number.isFinite(value)) {
		return '–';
	}
	if (value >= 100) {
		return value.toFixed(0);
	}
	return String(Number(value.toPrecision(3)));
}

/**
 * Requests per second of each role between two polls of {@code /admin/status} ({@code at} in ms,
 * {@code generation}, and the {@code stable} and {@code canary} request counts), or {@code null}
 * where the two polls say nothing about the traffic in between.
 *
 * <p>The rule: a rate is the growth of a count divided by the time between the polls, and only when
 * both polls saw the same generation and no count went down. Every change of the deployment bumps
 * the generation, and deploy, promote, rollback and each rollout step also start the counts again
 * from 0, so across a change the difference of the counts is not the traffic in between: the chart
 * gets a gap there instead of a false drop (or a false spike).
 */
export function requestRates(previous, current) {
	const seconds = (current.at - previous.at) / 1000;
	if (previous.generation !== current.generation || current.stable < previous.stable
		|| current.canary < previous.canary || !(seconds > 0)) {
		return null;
	}
	return { stable: (current.stable - previous.stable) / seconds, canary: (current.canary - previous.canary) / seconds };
}

/** A line chart over time that keeps the last {@code capacity} points and follows its box's width. */
export class TimeChart {

	constructor(element, series, { log = false, capacity = 180, format = ms } = {}) {
		this.capacity = capacity;
		this.data = [[], ...series.map(() => [])];
		const width = () => Math.max(240, element.clientWidth);
		this.plot = new uPlot({
			width: width(),
			height: HEIGHT,
			series: [{}, ...series.map(s => ({ ...s, spanGaps: false, points: { show: false } }))],
			scales: { x: { time: true }, y: log ? { distr: 3, log: 10 } : { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
			axes: [{ ...AXIS, space: 70, values: (u, splits) => splits.map(clock) }, {
				...AXIS, size: 58, values: (u, splits) => splits.map(v => (v == null ? '' : format(v))),
				// On a log scale, lines at every 2, 3, ... 9 of each decade bury the data: keep the decades.
				...(log ? { grid: { ...AXIS.grid, filter: decades }, ticks: { ...AXIS.ticks, filter: decades } } : {}),
			}],
			cursor: { drag: { x: false, y: false } },
			// Labels only: a click hides or shows a series; values at the cursor would read '–' most of the time.
			legend: { live: false },
		}, this.data, element);
		new ResizeObserver(() => this.plot.setSize({ width: width(), height: HEIGHT })).observe(element);
	}

	/** Adds one point per series at {@code time} (seconds since the epoch); {@code null} leaves a gap. */
	push(time, values) {
		this.data[0].push(time);
		values.forEach((v, i) => this.data[i + 1].push(v == null || !Number.isFinite(v) ? null : v));
		if (this.data[0].length > this.capacity) {
			this.data.forEach(column => column.shift());
		}
		this.plot.setData(this.data);
	}

}

/** The latency series of both versions: p50 solid, p95 dashed, p99 dotted. */
export function latencySeries() {
	const styles = [['p50', [], 2], ['p95', [6, 4], 1.5], ['p99', [2, 3], 1.5]];
	return ['stable', 'canary'].flatMap(role => styles.map(([name, dash, width]) => ({
		label: `${role} ${name}`, stroke: role === 'stable' ? STABLE : CANARY, dash, width,
	})));
}

/**
 * Horizontal bars of p50, p95 and p99 per version on a linear scale, so that a canary many times
 * slower than stable looks it; the values are written beside the bars.
 */
export function drawPercentileBars(container, stable, canary) {
	const rows = [];
	for (const p of ['p50', 'p95', 'p99']) {
		rows.push({ label: p, role: 'stable', value: stable?.[`${p}_ms`] });
		if (canary) {
			rows.push({ label: '', role: 'canary', value: canary[`${p}_ms`] });
		}
	}
	const max = Math.max(...rows.map(r => r.value ?? 0), 1e-9);
	const width = 400, left = 36, right = 72, bar = 13, gap = 4;
	const svg = document.createElementNS(SVG, 'svg');
	let y = 0;
	rows.forEach((r, i) => {
		if (r.label && i > 0) {
			y += gap * 2;
		}
		const length = r.value == null ? 0 : Math.max(1, (r.value / max) * (width - left - right));
		if (r.label) {
			svg.append(text(0, y + bar - 2, r.label));
		}
		const rect = document.createElementNS(SVG, 'rect');
		for (const [k, v] of Object.entries({ x: left, y, width: length, height: bar, rx: 2, class: `bar-${r.role}` })) {
			rect.setAttribute(k, v);
		}
		svg.append(rect, text(left + length + 6, y + bar - 2, r.value == null ? '–' : `${ms(r.value)} ms`));
		y += bar + gap;
	});
	svg.setAttribute('viewBox', `0 0 ${width} ${y}`);
	container.replaceChildren(svg);
}

function decades(u, splits) {
	return splits.map(v => (v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-6 ? v : null));
}

/** Seconds since the epoch as the local wall-clock time, 24-hour. */
function clock(seconds) {
	return new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function text(x, y, content) {
	const t = document.createElementNS(SVG, 'text');
	t.setAttribute('x', x);
	t.setAttribute('y', y);
	t.textContent = content;
	return t;
}
