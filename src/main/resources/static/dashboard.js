// ml-canary dashboard: polls the admin API every 2 s while the tab is visible and acts on the deployment.
// The admin token lives in this tab's sessionStorage only and is sent as a bearer token.
import { CANARY, STABLE, TimeChart, drawPercentileBars, latencySeries, ms, requestRates } from './charts.js';

const POLL_MS = 2000;
const TOKEN_KEY = 'ml-canary.admin-token';
const EVENT_LIMIT = 40;
// What the page shows where it does not know a value: never a default that would read as a fact.
const UNKNOWN = '—';
const $ = id => document.getElementById(id);

const state = {
	// The deployment of the latest successful refresh; null before the first and while polling is paused.
	status: null,
	// When that refresh was, and whether a later one failed (the values shown may no longer hold).
	readAt: null,
	stale: false,
	models: [],
	events: [],
	timer: null,
	polling: false,
	pollAgain: false,
	stopped: false,
	// Counts up whenever the token is given or forgotten: answers to older calls are then dropped.
	epoch: 0,
	// The request counts of the latest refresh, for the request rate.
	lastPoll: null,
	// The latest check as shown, so that an unchanged one is not drawn again (that would close "All numbers").
	latestShown: null,
	// Judges whose "All numbers" the operator opened, by key: kept open when a new check is drawn.
	openJudges: new Set(),
	// GET /admin/fleet's latest answer, and when it came; fleetMissing once the service answered 404 (it
	// has no fleet view): the card is then not shown at all.
	fleet: null,
	fleetReadAt: null,
	fleetMissing: false,
	polls: 0,
};

// ---- admin API ------------------------------------------------------------------------------

class ApiError extends Error {
	constructor(status, detail) {
		super(detail);
		this.status = status;
	}
}

async function api(path, { method = 'GET', body, generation, token = sessionStorage.getItem(TOKEN_KEY) } = {}) {
	const headers = { Accept: 'application/json, application/problem+json' };
	if (token) {
		headers.Authorization = `Bearer ${token}`;
	}
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
	}
	if (generation != null) {
		// The deployment this page showed: a newer change makes the call a 409 or 412 instead of clobbering it.
		headers['If-Match'] = `"${generation}"`;
	}
	let response;
	try {
		response = await fetch(path, { method, headers, cache: 'no-store', credentials: 'omit',
			body: body === undefined ? undefined : JSON.stringify(body) });
	}
	catch (error) {
		throw new ApiError(0, 'The service cannot be reached.');
	}
	const text = await response.text();
	let json = null;
	try {
		json = text ? JSON.parse(text) : null;
	}
	catch (error) {
		// Not JSON: a proxy's page, say. The status line says enough.
	}
	if (!response.ok) {
		throw new ApiError(response.status, json?.detail ?? `${response.status} ${response.statusText}`);
	}
	return json;
}

// ---- polling --------------------------------------------------------------------------------

async function refresh() {
	clearTimeout(state.timer);
	state.timer = null;
	if (state.stopped) {
		return;
	}
	if (state.polling) {
		state.pollAgain = true;
		return;
	}
	state.polling = true;
	// One token for the whole refresh: a Forget meanwhile must not turn its later calls into refused ones.
	const epoch = state.epoch;
	const token = sessionStorage.getItem(TOKEN_KEY);
	const get = path => api(path, { token });
	try {
		// Status first: without a valid token that is the only call refused (and audited) per attempt.
		const status = await get('/admin/status');
		const [latency, latest, events, fleet] = await Promise.all([get('/admin/latency'),
			get('/admin/check-canary-health/latest'), get(`/admin/events?limit=${EVENT_LIMIT}`), readFleet(get)]);
		if (epoch === state.epoch) {
			state.status = status;
			state.readAt = new Date();
			state.stale = false;
			state.events = events.events;
			renderStatus(status);
			renderTraffic(status, latency);
			renderLatest(latest);
			renderFleet(fleet, latest);
			renderEvents();
			connection('live', `Live · updated ${clock(new Date())}`);
			// Lets a test wait for the next refresh instead of sleeping.
			document.body.dataset.refreshes = String(++state.polls);
			if (!state.models.length) {
				loadModels();
			}
		}
	}
	catch (error) {
		if (epoch !== state.epoch) {
			// The token changed while this refresh ran: its answer no longer matters.
		}
		else if (error.status === 401 || error.status === 403) {
			// Every refused admin call is audited: stop asking until the operator gives a token. What the
			// page showed before is not known to hold any more: back to the unknown state.
			pause('Token needed', 'error', `${error.message} Polling is paused: type the admin token and press Use.`,
				error.status === 403 ? 'refused' : token ? 'token refused' : 'token needed');
		}
		else {
			const reason = error.status === 0 ? 'service unreachable' : `the service answered ${error.status}`;
			if (state.status) {
				markStale(reason);
			}
			else {
				renderUnknown(reason);
			}
			connection('error', `Not updated: ${error.message}`);
		}
	}
	finally {
		state.polling = false;
	}
	if (state.pollAgain) {
		state.pollAgain = false;
		return refresh();
	}
	schedule();
}

/** Stops polling until a token is given, and shows the deployment as unknown ({@code reason}) meanwhile. */
function pause(status, kind, message, reason) {
	state.stopped = true;
	state.epoch++;
	clearTimeout(state.timer);
	state.timer = null;
	renderUnknown(reason);
	connection('paused', status);
	notify(kind, message);
}

function schedule() {
	if (!state.timer && !state.stopped && !document.hidden) {
		state.timer = setTimeout(refresh, POLL_MS);
	}
}

document.addEventListener('visibilitychange', () => {
	if (document.hidden) {
		clearTimeout(state.timer);
		state.timer = null;
		connection('paused', 'Paused while the tab is hidden');
	}
	else if (!state.stopped) {
		refresh();
	}
});

/**
 * GET /admin/fleet, which a service without the fleet view answers with 404: that hides the card
 * rather than failing the refresh, and so does any other refusal of this one call (shown in the card).
 */
async function readFleet(get) {
	try {
		return { answer: await get('/admin/fleet') };
	}
	catch (error) {
		return error.status === 404 ? { missing: true } : { error };
	}
}

async function loadModels() {
	try {
		state.models = (await api('/admin/models')).models;
	}
	catch (error) {
		state.models = [];
	}
}

// ---- rendering ------------------------------------------------------------------------------

const rateChart = new TimeChart($('rate-chart'), [
	{ label: 'stable req/s', stroke: STABLE, width: 2, fill: 'rgba(37, 99, 235, .08)' },
	{ label: 'canary req/s', stroke: CANARY, width: 2, fill: 'rgba(232, 89, 12, .10)' },
], { format: v => (v == null ? '–' : String(Number(v.toPrecision(3)))) });
const latencyChart = new TimeChart($('latency-chart'), latencySeries(), { log: true });

/**
 * The page does not know the deployment (before the first read, after a refused one, after Forget):
 * placeholders and the reason everywhere a value would be, and no action.
 */
function renderUnknown(reason) {
	state.status = null;
	state.stale = false;
	// Drawn again in full once the deployment is read.
	state.latestShown = null;
	state.lastPoll = null;
	const noData = `No data: ${reason}`;
	dataState('unknown', noData);
	for (const id of ['stable-version', 'canary-version', 'weight', 'generation', 'slowdown', 'canary-since', 'rollout']) {
		$(id).textContent = UNKNOWN;
	}
	$('stable-share').textContent = 'unknown';
	$('canary-share').textContent = 'unknown';
	$('canary-box').classList.remove('absent');
	$('canary-box').classList.add('unknown');
	$('stable-box').classList.add('unknown');
	$('slowdown').classList.remove('on');
	$('weight-track').classList.add('unknown');
	$('weight-bar').style.width = '0';
	$('toggle-slowdown').textContent = 'Toggle slowdown';
	const badge = $('verdict');
	badge.className = 'badge';
	badge.textContent = UNKNOWN;
	$('verdict-message').textContent = `${noData}.`;
	$('verdict-time').replaceChildren();
	$('judges').replaceChildren(row(cell('td', `${noData}.`, { colspan: 4, class: 'muted' })));
	$('rate-now').textContent = 'requests per second, per role';
	$('distribution-versions').replaceChildren(cell('th', element('span', 'Measure'), { scope: 'col' }));
	$('distribution-versions').firstChild.firstChild.className = 'visually-hidden';
	$('distribution').replaceChildren(row(cell('td', `${noData}.`, { class: 'muted no-data' })));
	$('distribution-bars').replaceChildren();
	renderFleetUnknown(noData);
	state.events = [];
	const none = element('li', `${noData}.`);
	none.className = 'muted no-data';
	$('events').replaceChildren(none);
	renderButtons();
}

/** A refresh failed after an earlier one worked: the values stay, marked as possibly out of date. */
function markStale(reason) {
	state.stale = true;
	dataState('stale', `Stale: not updated since ${clock(state.readAt)} (${reason}); the deployment may have changed.`);
	renderButtons();
}

/** The line above the deployment that says whether its values are known: hidden while they are live. */
function dataState(kind, text) {
	const line = $('data-state');
	line.className = `data-state ${kind}`;
	line.textContent = text;
	line.hidden = kind === 'live';
	document.body.dataset.deployment = kind;
	$('main').classList.toggle('stale', kind === 'stale');
}

function renderStatus(s) {
	const canary = s.canary_version;
	const weight = canary ? s.canary_weight : 0;
	dataState('live', '');
	$('canary-box').classList.remove('unknown');
	$('stable-box').classList.remove('unknown');
	$('weight-track').classList.remove('unknown');
	$('stable-version').textContent = s.stable_version;
	$('stable-share').textContent = `${percent(1 - weight)} of traffic`;
	$('canary-version').textContent = canary ?? 'none';
	$('canary-share').textContent = canary ? `${percent(weight)} of traffic` : 'not deployed';
	$('canary-box').classList.toggle('absent', !canary);
	$('weight-bar').style.width = `${weight * 100}%`;
	$('weight').textContent = canary ? percent(weight) : '–';
	$('generation').textContent = s.generation;
	$('slowdown').textContent = s.simulate_slowdown ? `on (+${s.slowdown_delay_ms} ms per canary request)` : 'off';
	$('slowdown').classList.toggle('on', s.simulate_slowdown);
	$('canary-since').textContent = s.canary_start_time ? dateTime(s.canary_start_time) : '–';
	$('rollout').textContent = s.rollout ? `${s.rollout.phase.replaceAll('_', ' ')}: ${s.rollout.message}` : 'manual';
	renderButtons();
	$('toggle-slowdown').textContent = s.simulate_slowdown ? 'Turn slowdown off' : 'Turn slowdown on';
}

/** Actions need a deployment read with the token in use, and not stale; Promote and Roll back need a canary too. */
function renderButtons() {
	const s = state.stale ? null : state.status;
	const canary = Boolean(s?.canary_version);
	$('deploy').disabled = !s || canary;
	$('promote').disabled = !canary;
	$('rollback').disabled = !canary;
	$('toggle-slowdown').disabled = !s;
	$('check').disabled = !s;
}

function renderTraffic(status, latency) {
	const poll = { at: performance.now(), generation: status.generation, stable: status.stable_request_count,
		canary: status.canary_request_count };
	const time = Date.now() / 1000;
	if (state.lastPoll) {
		const rates = requestRates(state.lastPoll, poll);
		const canary = status.canary_version ? rates?.canary : null;
		// No rate across a change of the deployment: a gap, not a false drop.
		rateChart.push(time, [rates?.stable, canary]);
		if (rates) {
			$('rate-now').textContent = `Now: stable ${rates.stable.toFixed(1)} req/s`
				+ (canary == null ? '' : `, canary ${canary.toFixed(1)} req/s`);
		}
	}
	state.lastPoll = poll;
	const pick = v => (v == null ? [null, null, null] : [v.p50_ms, v.p95_ms, v.p99_ms]);
	latencyChart.push(time, [...pick(latency.stable), ...pick(latency.canary)]);
	renderDistribution(latency);
}

/** One column per version, one row per measure: two or three columns fit any card, a phone's too. */
function renderDistribution(latency) {
	// A fleet's analysis pools every live replica's windows: the numbers are the fleet's totals then
	// (one process, file mode, lists itself alone).
	const pooled = Array.isArray(latency.replicas) ? latency.replicas.length : 0;
	$('distribution-note').textContent = pooled > 1
		? `Fleet totals, pooled from ${pooled} replica${pooled === 1 ? '' : 's'}: samples, and latency in ms`
		: "Each version's window: samples, and latency in ms";
	const versions = [['stable', latency.stable], ['canary', latency.canary]].filter(([, v]) => v);
	$('distribution-versions').replaceChildren(cell('th', element('span', 'Measure'), { scope: 'col' }),
		...versions.map(([role, v]) => cell('th', [dot(role), v.version, roleName(role)], { scope: 'col' })));
	$('distribution-versions').firstChild.firstChild.className = 'visually-hidden';
	const measures = [['Samples', v => String(v.sample_count)], ['Mean', v => ms(v.mean_ms)],
		['p50', v => ms(v.p50_ms)], ['p95', v => ms(v.p95_ms)], ['p99', v => ms(v.p99_ms)]];
	$('distribution').replaceChildren(...measures.map(([label, value]) => row(cell('th', label, { scope: 'row' }),
		...versions.map(([, v]) => cell('td', value(v))))));
	drawPercentileBars($('distribution-bars'), latency.stable, latency.canary);
}

/** For each judge: a label, its main statistic and its p-value, from the numbers it reports. */
const JUDGES = {
	welch: ['Mean latency', j => (j.mode === 'sequential' ? `look ${j.look ?? '–'}` : `t = ${num(j.t_statistic)}`)
		+ (j.mean_increase_ms == null ? '' : `, Δ ${signed(j.mean_increase_ms)} ms`), j => j.p_value],
	mann_whitney: ['Distribution', j => `z = ${num(j.z)}` + (j.median_increase_ms == null ? '' : `, Δ median ${signed(j.median_increase_ms)} ms`),
		j => j.p_value],
	tail_latency: ['Tail latency', j => (j.canary_p99_ms == null ? '–' : `p99 ${ms(j.canary_p99_ms)} vs ${ms(j.stable_p99_ms)} ms`),
		j => minimum(j.p95_exceedance_p_value, j.p99_exceedance_p_value)],
	errors: ['Errors', j => `${j.canary_errors}/${j.canary_requests} vs ${j.stable_errors}/${j.stable_requests}`, j => j.p_value],
	agreement: ['Agreement', j => (j.agreement == null ? `${j.pairs} pairs` : `${(j.agreement * 100).toFixed(1)}% of ${j.pairs}`),
		j => j.mcnemar_p_value],
};

function renderLatest(latest) {
	// Most refreshes bring the same check again: leave it as drawn, with what the operator opened or selected.
	const shown = JSON.stringify(latest);
	if (shown === state.latestShown) {
		return;
	}
	state.latestShown = shown;
	const report = latest.report;
	const badge = $('verdict');
	badge.className = `badge ${report?.verdict ?? ''}`;
	badge.textContent = report ? report.verdict : 'none yet';
	$('verdict-message').textContent = report ? report.message
		: 'No health check of this deployment period yet: run one, or let an automated rollout check.';
	if (latest.checked_at) {
		const when = element('time', dateTime(latest.checked_at));
		when.dateTime = latest.checked_at;
		$('verdict-time').replaceChildren('Checked at ', when);
	}
	else {
		$('verdict-time').replaceChildren();
	}
	const judges = Object.entries(report?.judges ?? {});
	if (!judges.length) {
		$('judges').replaceChildren(row(cell('td', 'No judge has looked at this period yet.', { colspan: 4, class: 'muted' })));
		return;
	}
	$('judges').replaceChildren(...judges.flatMap(([key, j]) => {
		const [label, statistic, pValue] = JUDGES[key] ?? [key, () => '', () => null];
		const verdict = cell('td', element('span', j.verdict));
		verdict.firstChild.className = `verdict-text ${j.verdict}`;
		const main = row(cell('th', label, { scope: 'row' }), verdict, cell('td', statistic(j)), cell('td', pvalue(pValue(j))));
		main.className = 'judge';
		const reason = row(cell('td', [j.reason, numbers(key, j)], { colspan: 4 }));
		reason.className = 'reason';
		return [main, reason];
	}));
}

/** Every number a judge reported, folded away; open again after a new check if the operator had opened it. */
function numbers(key, judge) {
	const details = document.createElement('details');
	details.dataset.judge = key;
	details.open = state.openJudges.has(key);
	details.addEventListener('toggle', () => {
		if (details.open) {
			state.openJudges.add(key);
		}
		else {
			state.openJudges.delete(key);
		}
	});
	const summary = document.createElement('summary');
	summary.textContent = 'All numbers';
	const list = document.createElement('dl');
	list.className = 'numbers';
	for (const [k, v] of Object.entries(judge)) {
		if (k !== 'verdict' && k !== 'reason') {
			list.append(element('dt', k), element('dd', typeof v === 'number' ? num(v) : String(v)));
		}
	}
	details.append(summary, list);
	return details;
}

// ---- fleet ----------------------------------------------------------------------------------

/** The fleet card before anything is known about the fleet, or while the deployment is unknown. */
function renderFleetUnknown(noData) {
	state.fleet = null;
	state.fleetReadAt = null;
	$('fleet-card').hidden = state.fleetMissing;
	fleetState('unknown', noData);
	for (const id of ['fleet-store', 'fleet-generation', 'fleet-count', 'fleet-check']) {
		$(id).textContent = UNKNOWN;
	}
	$('fleet-replicas').replaceChildren();
}

function fleetState(kind, text) {
	const line = $('fleet-state');
	line.className = `data-state ${kind}`;
	line.textContent = text;
	line.hidden = kind === 'live';
}

function renderFleet(result, latest) {
	if (result.missing) {
		// This service has no fleet view (an older build): nothing to show, and nothing wrong.
		state.fleetMissing = true;
		$('fleet-card').hidden = true;
		return;
	}
	state.fleetMissing = false;
	$('fleet-card').hidden = false;
	if (result.error) {
		const reason = result.error.status === 0 ? 'service unreachable' : `the service answered ${result.error.status}`;
		if (state.fleet) {
			fleetState('stale', `Stale: not updated since ${clock(state.fleetReadAt)} (${reason}: ${result.error.message})`);
		}
		else {
			renderFleetUnknown(`No data: ${reason}`);
			fleetState('unknown', `No data: ${reason} (${result.error.message})`);
		}
		return;
	}
	const fleet = result.answer;
	state.fleet = fleet;
	state.fleetReadAt = new Date();
	fleetState('live', '');
	const replicas = Array.isArray(fleet.replicas) ? fleet.replicas : [];
	const live = replicas.filter(r => r.live).length;
	$('fleet-store').textContent = fleet.store === 'postgres' ? 'postgres (shared by the replicas)'
		: fleet.store === 'file' ? 'file (one process, no database)' : String(fleet.store ?? UNKNOWN);
	$('fleet-generation').textContent = fleet.generation ?? UNKNOWN;
	$('fleet-count').textContent = `${replicas.length}, ${live} live`
		+ (fleet.replica_id ? ` · this answer from ${fleet.replica_id}` : '');
	// What each replica contributed to the latest check: only from a report that says so.
	const report = latest?.report;
	const contributed = Array.isArray(report?.replicas) ? new Map(report.replicas.map(r => [r.replica_id, r])) : null;
	const checkRow = [$('fleet-check'), $('fleet-check').previousElementSibling];
	checkRow.forEach(e => { e.hidden = Boolean(report) && !contributed; });
	if (!report) {
		$('fleet-check').textContent = 'none yet in this deployment period';
	}
	else if (contributed) {
		const all = [...contributed.values()];
		const sum = key => all.reduce((total, r) => total + (r[key] ?? 0), 0);
		const gone = all.filter(r => !replicas.some(x => x.replica_id === r.replica_id)).map(r => r.replica_id);
		$('fleet-check').textContent = `pooled from ${all.length} replica${all.length === 1 ? '' : 's'}: `
			+ `stable ${sum('stable_sample_count')}, canary ${sum('canary_sample_count')} samples`
			+ (gone.length ? ` (also from ${gone.join(', ')}, no longer listed)` : '');
	}
	$('fleet-replicas').replaceChildren(...replicas.map(r => replicaItem(r, fleet.generation, contributed, r.replica_id === fleet.replica_id)));
}

/** One replica: its name, whether it drives rollouts and is live, then its facts. */
function replicaItem(r, generation, contributed, answered) {
	const li = document.createElement('li');
	li.className = `replica ${r.live ? 'live' : 'gone'}${r.leader ? ' leader' : ''}`;
	li.dataset.replica = r.replica_id;
	const name = element('strong', r.replica_id);
	name.className = 'replica-name';
	const head = element('div', [name]);
	head.className = 'replica-head';
	if (r.leader) {
		head.append(pill('leader', 'drives rollouts'));
	}
	head.append(pill(r.live ? 'live' : 'gone', r.live ? 'live' : 'not live'));
	if (answered) {
		head.append(pill('answered', 'answered'));
	}
	const facts = document.createElement('dl');
	facts.className = 'replica-facts';
	const fact = (label, value, className) => {
		const dd = element('dd', value);
		if (className) {
			dd.className = className;
		}
		facts.append(element('dt', label), dd);
	};
	// Behind matters on a live replica (not yet applied, or cannot apply it); a gone one is just old.
	const behind = r.live && r.generation != null && generation != null && r.generation !== generation;
	fact('Generation', r.generation == null ? UNKNOWN
		: behind ? `${r.generation} (the fleet is at ${generation})` : `${r.generation}`, behind ? 'behind' : '');
	const problem = r.problem ? `: ${r.problem}` : '';
	fact('Readiness', r.ready == null ? `${UNKNOWN}${problem}` : r.ready ? `ready${problem}` : `not ready${problem}`,
		r.ready === false ? 'problem' : r.problem ? 'behind' : '');
	fact('Models', Array.isArray(r.models) && r.models.length ? r.models.join(', ') : 'none loaded');
	fact('Published', r.samples
		? `stable ${r.samples.stable ?? UNKNOWN}, canary ${r.samples.canary ?? UNKNOWN}`
			+ (r.published_at ? ` at ${clock(new Date(r.published_at))}` : '')
		: 'nothing published yet');
	if (contributed) {
		const c = contributed.get(r.replica_id);
		fact('Latest check', c ? `stable ${c.stable_sample_count}, canary ${c.canary_sample_count}` : 'not in it', c ? '' : 'muted-value');
	}
	if (!r.live && r.last_seen) {
		fact('Last seen', dateTime(r.last_seen));
	}
	li.append(head, facts);
	return li;
}

function pill(kind, text) {
	const p = element('span', text);
	p.className = `pill ${kind}`;
	return p;
}

function renderEvents() {
	if (!state.status) {
		// Unknown: the "No data" line stays (no "No events yet." that would read as a fact).
		return;
	}
	const hideChecks = $('hide-checks').checked;
	const shown = state.events.filter(e => !hideChecks || e.action !== 'check-canary-health').slice(0, 25);
	$('events').replaceChildren(...shown.map(e => {
		const li = document.createElement('li');
		li.className = `outcome-${e.outcome}`;
		const when = element('time', clock(new Date(e.time)));
		when.dateTime = e.time;
		const action = element('span', e.action);
		action.className = 'action';
		const head = element('div', [action, tag(e)]);
		const what = element('div', [element('div', describe(e)), element('div', [e.actor, address(e.remote_address), `generation ${e.generation}`].filter(Boolean).join(' · '))]);
		what.className = 'what';
		what.lastChild.className = 'who';
		li.append(when, head, what);
		return li;
	}));
	if (!shown.length) {
		$('events').replaceChildren(element('li', 'No events yet.'));
	}
}

function tag(e) {
	const t = element('span', '');
	t.className = 'tag';
	if (e.outcome !== 'success') {
		t.textContent = `${e.outcome} ${e.status}`;
		t.classList.add(e.outcome);
	}
	else if (e.verdict?.verdict) {
		// PASS, FAIL or INCONCLUSIVE: an inconclusive check raised no alert, but it did not pass either.
		t.textContent = e.verdict.verdict;
		t.classList.add(e.verdict.verdict);
	}
	else if (e.verdict) {
		// Events written before the audit trail kept the verdict word.
		t.textContent = e.verdict.alert_triggered ? 'alert' : 'no alert';
		t.classList.toggle('alert', e.verdict.alert_triggered);
	}
	return t;
}

function describe(e) {
	if (e.outcome !== 'success') {
		return e.detail ?? '';
	}
	switch (e.action) {
	case 'deploy-canary':
		return `Canary ${e.canary_after} deployed at ${percent(e.weight)} beside ${e.stable_after}.`;
	case 'promote-canary':
		return `${e.stable_after} promoted; it replaces ${e.stable_before}.`;
	case 'rollback-canary':
		return `Canary ${e.canary_before} rolled back; ${e.stable_after} serves all traffic.`;
	case 'toggle-slowdown':
		// Events before the service recorded `slowdown` do not say which way.
		if (e.slowdown === undefined || e.slowdown === null) {
			return 'Canary slowdown toggled.';
		}
		return e.slowdown ? 'Canary slowdown turned on.' : 'Canary slowdown turned off.';
	case 'check-canary-health':
		return e.verdict?.message ?? '';
	default:
		return e.detail ?? `${e.stable_after}${e.canary_after ? ` + canary ${e.canary_after}` : ''}`;
	}
}

// ---- actions --------------------------------------------------------------------------------

const ACTIONS = {
	deploy: {
		title: () => 'Deploy a canary',
		text: s => `The canary serves beside ${s.stable_version}; its share of /predict traffic is the weight below.`,
		run: (generation) => api('/admin/deploy-canary', { method: 'POST', generation,
			body: { version: $('deploy-version').value, weight: Number($('deploy-weight').value) / 100 } }),
	},
	promote: {
		title: s => `Promote ${s.canary_version}?`,
		text: s => `${s.canary_version} becomes the stable version and serves all traffic; ${s.stable_version} stops serving.`,
		run: generation => api('/admin/promote-canary', { method: 'POST', generation }),
	},
	rollback: {
		title: s => `Roll back ${s.canary_version}?`,
		text: s => `Canary ${s.canary_version} stops serving; ${s.stable_version} serves all traffic.`,
		run: generation => api('/admin/rollback-canary', { method: 'POST', generation }),
	},
	'toggle-slowdown': {
		title: s => (s.simulate_slowdown ? 'Switch the slowdown off?' : 'Switch the slowdown on?'),
		text: s => (s.simulate_slowdown ? 'Canary requests are served at normal speed again.'
			: `Every request routed to the canary waits ${s.slowdown_delay_ms} ms before the model runs, to show a slow canary being caught.`),
		run: generation => api('/admin/toggle-slowdown', { method: 'POST', generation }),
	},
};

for (const [id, action] of Object.entries(ACTIONS)) {
	$(id).addEventListener('click', () => act(id, action));
}

async function act(id, action) {
	const shown = state.status;
	if (!shown) {
		notify('error', 'The deployment has not been loaded yet.');
		return;
	}
	if (id === 'deploy') {
		await loadModels();
		if (!fillDeployChooser()) {
			notify('error', 'The model registry has no version that is not serving already.');
			return;
		}
	}
	if (!(await confirmed(action.title(shown), action.text(shown), id === 'deploy'))) {
		return;
	}
	try {
		const answer = await action.run(shown.generation);
		notify('success', answer.message ?? 'Done.');
	}
	catch (error) {
		if (error.status === 409 || error.status === 412) {
			// The deployment changed after this page read it (If-Match no longer matched, or the change no
			// longer applies): nothing was done. The refresh below shows it as it is now.
			const stale = /generation is now (\d+), the request expected (\d+)/.exec(error.message);
			const why = stale ? `generation ${stale[1]} now, this page had read ${stale[2]}` : error.message.replace(/\.$/, '');
			notify('error', `Not done: the deployment changed meanwhile (${why}). The page reads it again now: `
				+ 'check what it shows, and try again if the action still applies.');
		}
		else {
			notify('error', error.message);
		}
	}
	refresh();
}

function fillDeployChooser() {
	const candidates = state.models.filter(m => !m.role);
	$('deploy-version').replaceChildren(...candidates.map(m => {
		const option = element('option', m.uploaded ? `${m.version} · uploaded` : m.version);
		option.value = m.version;
		return option;
	}));
	describeModel();
	return candidates.length > 0;
}

function describeModel() {
	const model = state.models.find(m => m.version === $('deploy-version').value);
	const manifest = model?.manifest;
	if (!manifest) {
		$('deploy-model').textContent = '';
		return;
	}
	const holdout = manifest.holdout_auc == null && manifest.holdout_accuracy == null ? 'no holdout figures'
		: `holdout accuracy ${num(manifest.holdout_accuracy)}, AUC ${num(manifest.holdout_auc)}`;
	const origin = manifest.model_format ? ` · ${manifest.algorithm.replace(/ \(portable document.*\)$/, '')}` : '';
	$('deploy-model').textContent = `${model.model_path}${origin} · ${holdout}`;
}
$('deploy-version').addEventListener('change', describeModel);

/** The in-page confirmation: resolves true on Confirm, false on Cancel or Escape. */
function confirmed(title, text, deploy) {
	const dialog = $('confirm');
	$('confirm-title').textContent = title;
	$('confirm-text').textContent = text;
	$('deploy-fields').hidden = !deploy;
	$('confirm-ok').textContent = deploy ? 'Deploy' : 'Confirm';
	return new Promise(resolve => {
		dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
		dialog.returnValue = '';
		dialog.showModal();
		(deploy ? $('deploy-version') : $('confirm-cancel')).focus();
	});
}
$('confirm-form').addEventListener('submit', event => {
	event.preventDefault();
	if ($('confirm-form').reportValidity()) {
		$('confirm').close('ok');
	}
});
$('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));

$('check').addEventListener('click', async () => {
	try {
		await api('/admin/check-canary-health');
	}
	catch (error) {
		notify('error', error.message);
	}
	refresh();
});

$('hide-checks').addEventListener('change', renderEvents);

// ---- token ----------------------------------------------------------------------------------

$('token').value = sessionStorage.getItem(TOKEN_KEY) ?? '';
$('token-form').addEventListener('submit', event => {
	event.preventDefault();
	useToken($('token').value.trim());
});
$('token-forget').addEventListener('click', () => {
	$('token').value = '';
	sessionStorage.removeItem(TOKEN_KEY);
	// No call without a token now: on a service that has one it would only be refused (and audited).
	pause('Paused: no token', 'info', 'Token forgotten: the page stopped asking the service. Type the admin token and press Use '
		+ '(on a service without a token, which answers this machine only, press Use with the field empty).', 'token needed');
});

/** Polls with {@code token}; an empty one is meant too: a service without a token answers loopback calls. */
function useToken(token) {
	if (token) {
		sessionStorage.setItem(TOKEN_KEY, token);
	}
	else {
		sessionStorage.removeItem(TOKEN_KEY);
	}
	state.stopped = false;
	state.epoch++;
	state.models = [];
	hideNotice();
	connection('', 'Connecting…');
	if (!state.status) {
		dataState('unknown', 'No data yet: reading the deployment…');
	}
	refresh();
}

// ---- small helpers --------------------------------------------------------------------------

function connection(kind, text) {
	const c = $('connection');
	c.className = `connection ${kind}`;
	c.textContent = text;
}

function notify(kind, text) {
	const notice = $('notice');
	const close = element('button', 'Dismiss');
	close.type = 'button';
	close.addEventListener('click', hideNotice);
	notice.className = `notice ${kind}`;
	notice.replaceChildren(element('span', text), close);
	notice.hidden = false;
}

function hideNotice() {
	$('notice').hidden = true;
}

function element(name, content) {
	const e = document.createElement(name);
	e.append(...(Array.isArray(content) ? content : [content ?? '']));
	return e;
}

function cell(name, content, attributes = {}) {
	const c = element(name, content);
	for (const [k, v] of Object.entries(attributes)) {
		c.setAttribute(k, v);
	}
	return c;
}

function row(...cells) {
	const r = document.createElement('tr');
	r.append(...cells);
	return r;
}

function dot(role) {
	const d = element('span', '');
	d.className = `dot ${role}`;
	return d;
}

function roleName(role) {
	const r = element('span', role);
	r.className = 'role-name';
	return r;
}

/** The IPv6 loopback as people write it, not as Java prints it. */
function address(remote) {
	return remote === '0:0:0:0:0:0:0:1' ? '::1' : remote;
}

function percent(weight) {
	return `${Number((weight * 100).toPrecision(4))}%`;
}

function num(v) {
	if (v == null || !Number.isFinite(v)) {
		return '–';
	}
	return Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

function signed(v) {
	return `${v >= 0 ? '+' : '−'}${ms(Math.abs(v))}`;
}

function pvalue(p) {
	if (p == null) {
		return '–';
	}
	// Below double precision the exact value means nothing; say so instead of printing 0.
	return p < 1e-300 ? '< 1e-300' : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

function minimum(a, b) {
	return a == null ? b : b == null ? a : Math.min(a, b);
}

function clock(date) {
	return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

function dateTime(iso) {
	const date = new Date(iso);
	return `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${clock(date)}`;
}

refresh();
