// Emergency Command Cockpit: signs in, shows the situation board of one jurisdiction, keeps it live
// over Server-Sent Events (polling every 5 s when SSE is down), and draws China's provinces coloured
// by the response level in force, with the open incidents as dots. Replay mode stops the live updates
// and shows the board as it stood at one event of a time range, with the decision made there.
// Plain JS, no dependencies.
'use strict';
(() => {
  const NATION = '000000';
  const LEVELS = ['I', 'II', 'III', 'IV'];
  const STATUSES = ['Reported', 'Verified', 'Dismissed', 'Closed'];
  const CATEGORIES = ['PublicHealth', 'NaturalDisaster', 'Accident', 'SocialSecurity'];
  const OPEN = new Set(['Reported', 'Verified']);
  const REPLAY_PAGE = 1000, REPLAY_MAX_EVENTS = 5000, REPLAY_STEP_DEBOUNCE_MS = 150, REPLAY_RANGE_DEBOUNCE_MS = 400;
  const BEIJING_OFFSET_MS = 8 * 3600 * 1000; // Asia/Shanghai is UTC+8 all year (no daylight saving time)
  const POLL_MS = 5000, SSE_RETRY_MS = 30000, INCIDENT_MIN_GAP_MS = 3000, MAX_MAP_INCIDENTS = 200, DETAIL_CONCURRENCY = 6;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  const state = {
    lang: localStorage.getItem('cockpit.lang') === 'en' ? 'en' : 'zh',
    auth: null,                // { username, roles, jurisdictions }: the session cookie itself is out of the page's reach
    jurisdiction: sessionStorage.getItem('cockpit.jurisdiction') || NATION,
    board: null,
    gen: 0,                    // bumped on every (re)connect and sign-out; late answers of older ones are dropped
    es: null, pollTimer: null, sseRetryTimer: null,
    map: null,                 // { projection, paths: Map(adcode → path) }
    mapLoading: null,
    incidents: [], incidentDetails: new Map(), incidentSeq: null, incidentTimer: null,
    incidentsBusy: false, incidentsAgain: false, lastIncidentLoad: 0, incidentsCapped: false,
    names: new Map(),          // division code → { zh, en } (null while looked up / unknown)
    replay: null,              // while in replay mode: the events of the range, the current one and its decision
  };

  // ---------- language ----------
  const dict = () => window.I18N[state.lang];
  function t(key, vars) {
    let s = key.split('.').reduce((o, k) => (o == null ? o : o[k]), dict());
    if (s == null) s = key.split('.').pop();
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
    return s;
  }
  function applyLanguage() {
    document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach((el) => { el.title = t(el.dataset.i18nTitle); });
    document.querySelectorAll('[data-i18n-aria]').forEach((el) => { el.setAttribute('aria-label', t(el.dataset.i18nAria)); });
    document.querySelectorAll('[data-level-name]').forEach((el) => {
      el.textContent = `${t('levelShort.' + el.dataset.levelName)} ${t('levelName.' + el.dataset.levelName)}`;
    });
    $('map').setAttribute('aria-label', t('mapTitle'));
    if (state.auth) { renderUser(); renderJurisdictionOptions(); }
    if (state.map) { renderMapTitles(); renderIncidents(); }
    setLive(liveMode);
    render();
    if (state.replay) renderReplay();
  }
  function toggleLanguage() {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('cockpit.lang', state.lang);
    applyLanguage();
  }

  // ---------- formatting ----------
  const fmtNumber = (n) => (n == null ? '—' : Number(n).toLocaleString(state.lang === 'en' ? 'en-US' : 'zh-CN'));
  function fmtTime(iso, withSeconds = true) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const parts = new Intl.DateTimeFormat(state.lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: withSeconds ? '2-digit' : undefined, hourCycle: 'h23',
    }).formatToParts(d);
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? ':' + p.second : ''}`;
  }
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null) continue;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  // ---------- division names ----------
  function divisionName(code) {
    if (code === NATION) return t('nation');
    const known = state.names.get(code);
    if (known) return (state.lang === 'en' ? known.en || known.zh : known.zh || known.en) || '';
    if (window.PROVINCE_EN[code]) return state.lang === 'en' ? window.PROVINCE_EN[code] : ''; // the map brings the Chinese name
    if (!state.names.has(code) && state.auth) lookUpName(code);
    return '';
  }
  async function lookUpName(code) {
    state.names.set(code, null);
    try {
      const r = await api(`/api/jurisdictions/${encodeURIComponent(code)}/response-level`);
      if (r && (r.name || r.nameEn)) { state.names.set(code, { zh: r.name, en: r.nameEn }); render(); renderJurisdictionOptions(); }
    } catch { /* unknown code: shown without a name */ }
  }

  // ---------- auth ----------
  // The browser signs in with an HttpOnly session cookie the page never sees; every write carries the anti-forgery token.
  async function antiforgery() {
    const res = await fetch('/api/auth/antiforgery', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    return { [body.headerName]: body.token };
  }
  async function currentSession() {
    try {
      const res = await fetch('/api/auth/session', { headers: { Accept: 'application/json' } });
      return res.ok ? await res.json() : null;
    } catch { return null; }
  }
  class AuthError extends Error {}
  async function api(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    const res = await fetch(path, { ...options, headers });
    if (res.status === 401) { signOut('sessionExpired'); throw new AuthError('401'); }
    if (!res.ok) {
      let msg = `HTTP ${res.status}`;
      try { const p = await res.json(); msg = p.detail || p.title || msg; } catch { /* not JSON */ }
      const err = new Error(msg); err.status = res.status; throw err;
    }
    return res.status === 204 ? null : res.json();
  }
  async function signIn(ev) {
    ev.preventDefault();
    const username = $('username').value.trim(), password = $('password').value;
    const button = $('signin-button'), error = $('signin-error');
    error.textContent = '';
    if (!username || !password) { error.textContent = t('badCredentials'); return; }
    button.disabled = true; button.textContent = t('signingIn');
    try {
      const res = await fetch('/api/auth/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(await antiforgery()) },
        body: JSON.stringify({ username, password }),
      });
      if (res.status === 401 || res.status === 400) { error.textContent = t('badCredentials'); return; }
      if (res.status === 429) { error.textContent = t('tooManyAttempts'); return; }
      if (!res.ok) { error.textContent = t('loadFailed', { msg: `HTTP ${res.status}` }); return; }
      const body = await res.json();
      state.auth = { username: body.username, roles: body.roles || [], jurisdictions: body.jurisdictions || [] };
      $('password').value = '';
      state.jurisdiction = NATION;
      sessionStorage.setItem('cockpit.jurisdiction', NATION);
      showBoard();
    } catch {
      error.textContent = t('networkError');
    } finally {
      button.disabled = false; button.textContent = t('signin');
    }
  }
  async function endSession() {
    try {
      await fetch('/api/auth/session/sign-out', { method: 'POST', headers: await antiforgery() });
    } catch { /* the cookie expires by itself */ }
  }
  function signOut(reason) {
    const wasSignedIn = !!state.auth;
    if (reason === 'signedOut') endSession();
    state.gen++;
    closeReplay();
    stopLive();
    clearTimeout(state.incidentTimer); state.incidentTimer = null;
    state.auth = null; state.board = null; state.incidents = []; state.incidentDetails.clear(); state.incidentSeq = null;
    $('board').hidden = true;
    $('signin-view').hidden = false;
    $('signin-error').textContent = wasSignedIn && reason ? t(reason) : '';
    $('username').focus();
  }

  // ---------- board lifecycle ----------
  function showBoard() {
    $('signin-view').hidden = true;
    $('board').hidden = false;
    renderUser();
    renderJurisdictionOptions();
    loadMap();
    connect();
  }
  function setJurisdiction(code) {
    if (!/^\d{6}$/.test(code)) { showNotice(t('badCode')); return; }
    state.jurisdiction = code;
    sessionStorage.setItem('cockpit.jurisdiction', code);
    state.board = null; state.incidents = []; state.incidentSeq = null;
    renderJurisdictionOptions();
    render(); renderIncidents();
    if (state.replay) loadReplayEvents(); else connect();
  }
  function connect() {
    const gen = ++state.gen;
    stopLive();
    showNotice(null);
    refresh(gen);
    if (typeof EventSource === 'function') openLive(gen); else startPolling(gen);
  }
  async function refresh(gen) {
    try {
      const board = await api(`/api/situation?jurisdiction=${encodeURIComponent(state.jurisdiction)}`);
      if (gen === state.gen && liveMode === 'offline') setLive('polling');
      applyBoard(board, gen);
    } catch (e) {
      if (e instanceof AuthError || gen !== state.gen) return;
      if (e.status === 403) showNotice(t('forbidden'));
      else if (e.status) showNotice(t('loadFailed', { msg: e.message }));
      else if (liveMode !== 'connected') setLive('offline');
    }
  }
  function applyBoard(board, gen) {
    if (gen !== state.gen || !board || !state.auth || state.replay) return; // replay shows its own board
    const prev = state.board;
    if (prev && prev.jurisdiction === board.jurisdiction && board.sequence < prev.sequence) return; // an older answer
    state.board = board;
    showNotice(null);
    render();
    if (board.sequence !== state.incidentSeq) scheduleIncidents();
  }

  // ---------- live updates ----------
  let liveMode = 'offline';
  function setLive(mode) {
    liveMode = mode;
    const live = $('live');
    live.classList.toggle('connected', mode === 'connected');
    live.classList.toggle('polling', mode === 'polling');
    live.classList.toggle('replay', mode === 'replay');
    $('live-text').textContent = t({ connected: 'liveConnected', polling: 'livePolling', replay: 'liveReplay' }[mode] || 'liveOffline');
  }
  function openLive(gen) {
    const url = `/api/situation/live?jurisdiction=${encodeURIComponent(state.jurisdiction)}`;
    const es = new EventSource(url);
    state.es = es;
    const onData = (e) => {
      let board;
      try { board = JSON.parse(e.data); } catch { return; }
      if (gen === state.gen && liveMode !== 'connected') { setLive('connected'); stopPolling(); }
      applyBoard(board, gen);
    };
    es.addEventListener('situation', onData);
    es.onmessage = onData;
    es.onopen = () => { if (gen === state.gen) { setLive('connected'); stopPolling(); } };
    es.onerror = () => {
      if (gen !== state.gen) { es.close(); return; }
      startPolling(gen); // keep the board fresh while the stream is down; a 401 there shows the sign-in form
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error such as 401, 404 or 503): try again later.
        state.es = null;
        refresh(gen);
        clearTimeout(state.sseRetryTimer);
        state.sseRetryTimer = setTimeout(() => { if (gen === state.gen && state.auth) openLive(gen); }, SSE_RETRY_MS);
      }
    };
  }
  function startPolling(gen) {
    if (liveMode === 'connected') setLive('polling');
    if (state.pollTimer) return;
    if (liveMode === 'offline') setLive('polling');
    state.pollTimer = setInterval(() => { if (gen === state.gen) refresh(gen); else stopPolling(); }, POLL_MS);
  }
  function stopPolling() { clearInterval(state.pollTimer); state.pollTimer = null; }
  function stopLive() {
    if (state.es) { state.es.close(); state.es = null; }
    clearTimeout(state.sseRetryTimer); state.sseRetryTimer = null;
    stopPolling();
    setLive('offline');
  }

  // ---------- replay ----------
  // The events of a time range come from /api/replay in commit order; the board at the chosen event is
  // /api/situation?asOf=<its time>, drawn by the same render() as live. Live updates stop meanwhile.
  const toMs = (iso) => Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1')); // Date keeps milliseconds only
  const toBeijingInput = (ms) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19);
  function fromBeijingInput(value) {
    if (!value) return NaN;
    return Date.parse((value.length === 16 ? value + ':00' : value) + 'Z') - BEIJING_OFFSET_MS;
  }
  function debounce(fn, ms) {
    let timer = null;
    const run = () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
    run.cancel = () => clearTimeout(timer);
    return run;
  }
  const showReplayEventSoon = debounce(() => showReplayEvent(), REPLAY_STEP_DEBOUNCE_MS);
  const loadReplayEventsSoon = debounce(() => loadReplayEvents(), REPLAY_RANGE_DEBOUNCE_MS);
  const replayUrl = (fromSequence, limit) =>
    `/api/replay?fromSequence=${fromSequence}&limit=${limit}&jurisdiction=${encodeURIComponent(state.jurisdiction)}`;

  async function enterReplay() {
    state.gen++; // answers of the live board still on their way are dropped
    stopLive();
    clearTimeout(state.incidentTimer); state.incidentTimer = null;
    const r = {
      head: state.board ? state.board.sequence : 0, // the log's last sequence, as far as known
      events: [], index: 0, capped: false, status: 'replayLoading', decision: null, decisionsOf: new Map(), loads: 0, shows: 0,
      rangeEdited: false,
    };
    state.replay = r;
    state.incidents = []; state.incidentSeq = null;
    renderIncidents();
    setLive('replay');
    showNotice(null);
    $('board').classList.add('replaying');
    $('replay').hidden = false;
    setReplayBusy(true);
    renderReplayToggle();
    renderReplay();
    // Default range: from the first event to now.
    const now = Date.now();
    $('replay-to').value = toBeijingInput(now);
    try {
      const [first] = await api(replayUrl(0, 1));
      if (state.replay !== r || r.rangeEdited) return; // the reviewer chose a range meanwhile: keep it
      $('replay-from').value = toBeijingInput(first ? toMs(first.at) : now);
    } catch (e) {
      if (e instanceof AuthError || state.replay !== r || r.rangeEdited) return;
      $('replay-from').value = toBeijingInput(now - 24 * 3600 * 1000);
    }
    loadReplayEvents();
  }
  function closeReplay() {
    showReplayEventSoon.cancel(); loadReplayEventsSoon.cancel();
    if (!state.replay) return;
    state.replay = null;
    $('board').classList.remove('replaying');
    $('replay').hidden = true;
    renderReplayToggle();
  }
  function leaveReplay() {
    closeReplay();
    state.board = null; // the live board replaces the replayed one (which stays on screen until it comes)
    connect();
  }
  // aria-busy: the event list is being (re)loaded
  function setReplayBusy(busy) { $('replay').setAttribute('aria-busy', String(busy)); }
  function renderReplayToggle() {
    const button = $('replay-toggle');
    button.setAttribute('aria-pressed', String(!!state.replay));
    button.dataset.i18n = state.replay ? 'replayExit' : 'replayToggle';
    button.textContent = t(button.dataset.i18n);
    renderMapCount();
  }

  // The first sequence whose event is at or after `fromMs`: times grow with the commit order, so a few
  // one-event reads bisect the log instead of paging through everything before the range.
  async function firstSequenceAtOrAfter(fromMs, r) {
    let lo = 0, hi = r.head + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [e] = await api(replayUrl(mid, 1));
      if (state.replay !== r) return null;
      if (!e || toMs(e.at) >= fromMs) hi = mid; else lo = e.sequence + 1;
    }
    return lo;
  }
  async function loadReplayEvents() {
    const r = state.replay;
    if (!r) return;
    loadReplayEventsSoon.cancel();
    const load = ++r.loads;
    r.shows++; // a board still on its way belongs to the old list
    const current = () => state.replay === r && r.loads === load;
    const fromMs = fromBeijingInput($('replay-from').value);
    const toMsIncl = fromBeijingInput($('replay-to').value) + 999; // the whole second shown
    r.events = []; r.index = 0; r.capped = false; r.decision = null; r.decisionsOf = new Map();
    r.status = Number.isNaN(fromMs) || Number.isNaN(toMsIncl) || fromMs > toMsIncl ? 'replayBadRange' : 'replayLoading';
    renderReplay();
    setReplayBusy(r.status === 'replayLoading');
    if (r.status === 'replayBadRange') return;
    try {
      let next = await firstSequenceAtOrAfter(fromMs, r);
      const events = [];
      for (let done = false; !done && current();) {
        const page = await api(replayUrl(next, REPLAY_PAGE));
        if (!current()) return;
        for (const e of page) {
          const ms = toMs(e.at);
          if (ms > toMsIncl) { done = true; break; }
          if (ms < fromMs) continue;
          if (events.length === REPLAY_MAX_EVENTS) { r.capped = true; done = true; break; }
          events.push(e);
        }
        if (page.length < REPLAY_PAGE) done = true; else next = page[page.length - 1].sequence + 1;
      }
      if (!current()) return;
      r.events = events;
      r.status = events.length ? null : 'replayEmpty';
      renderReplay();
      setReplayBusy(false);
      showReplayEvent(); // the first event; with none, the board at the end of the range
    } catch (e) {
      if (e instanceof AuthError || !current()) return;
      r.status = 'replayFailed';
      renderReplay();
      setReplayBusy(false);
      showNotice(t('loadFailed', { msg: e.message }));
    }
  }
  function goToReplayEvent(i) {
    const r = state.replay;
    if (!r || !r.events.length) return;
    const index = Math.max(0, Math.min(r.events.length - 1, i));
    if (index === r.index) return;
    r.index = index;
    r.decision = null;
    renderReplay();
    showReplayEventSoon(); // dragging the slider asks the server once it rests
  }
  // The board and the decision at the current event.
  async function showReplayEvent() {
    const r = state.replay;
    if (!r) return;
    showReplayEventSoon.cancel();
    const show = ++r.shows;
    const e = r.events[r.index];
    const at = e ? e.at : new Date(fromBeijingInput($('replay-to').value) + 999).toISOString();
    const [board, decision] = await Promise.allSettled([
      api(`/api/situation?jurisdiction=${encodeURIComponent(state.jurisdiction)}&asOf=${encodeURIComponent(at)}`),
      e ? decisionAt(e, r) : null,
    ]);
    if (state.replay !== r || r.shows !== show) return;
    if (board.status === 'fulfilled') {
      state.board = board.value;
      showNotice(null);
      render();
    } else if (!(board.reason instanceof AuthError)) {
      showNotice(board.reason.status === 403 ? t('forbidden') : t('loadFailed', { msg: board.reason.message }));
    }
    r.decision = decision.status === 'fulfilled' ? decision.value : 'failed';
    renderReplay();
  }
  // The decision recorded with this event (its first event), or 'none'. The decision log is asked for the
  // decisions at the event's instant; a server that cannot filter by time (HTTP error) is asked for the
  // actor's decisions instead, once per actor and range.
  let decisionsByTime = true;
  async function decisionAt(e, r) {
    const find = (list) => (list || []).find((d) => d.sequence === e.sequence) || 'none';
    if (decisionsByTime) {
      try {
        return find(await api(`/api/decisions?from=${encodeURIComponent(e.at)}&to=${encodeURIComponent(e.at)}`));
      } catch (err) {
        if (!err.status) throw err;
        decisionsByTime = false;
      }
    }
    if (!e.actor) return 'none';
    if (!r.decisionsOf.has(e.actor)) {
      const request = api(`/api/decisions?actor=${encodeURIComponent(e.actor)}&jurisdiction=${encodeURIComponent(state.jurisdiction)}`);
      r.decisionsOf.set(e.actor, request);
      request.catch(() => r.decisionsOf.delete(e.actor));
    }
    return find(await r.decisionsOf.get(e.actor));
  }
  function renderReplay() {
    const r = state.replay;
    if (!r) return;
    const n = r.events.length, e = r.events[r.index];
    const slider = $('replay-slider');
    slider.max = String(Math.max(0, n - 1));
    slider.value = String(r.index);
    slider.disabled = n < 2;
    $('replay-prev').disabled = !n || r.index === 0;
    $('replay-next').disabled = !n || r.index >= n - 1;
    $('replay-position').textContent = n
      ? t('replayPosition', { i: fmtNumber(r.index + 1), n: fmtNumber(n) }) + (r.capped ? t('replayCapped', { n: fmtNumber(REPLAY_MAX_EVENTS) }) : '')
      : '';

    const event = $('replay-event');
    event.dataset.sequence = e ? String(e.sequence) : '';
    const field = (label, value, cls) => el('span', { class: 'field' }, el('span', { class: 'label', text: label }), ' ', el('span', { class: cls, text: value }));
    event.replaceChildren(...(e
      ? [field(t('sequence'), `#${e.sequence}`, 'seq'),
        field(t('replayAt'), `${fmtTime(e.at)} ${t('beijingTime')}`, 'when'),
        field(t('replayType'), e.type, 'type'),
        field(t('replayActor'), e.actor || t('replaySystem'), 'actor')]
      : [el('span', { class: 'empty', text: t(r.status || 'replayEmpty') })]));

    const box = $('replay-decision');
    const d = r.decision;
    box.classList.toggle('decided', typeof d === 'object' && d !== null);
    if (!e) box.replaceChildren();
    else if (!d) box.replaceChildren(el('span', { class: 'empty', text: t('replayDecisionLoading') }));
    else if (d === 'none' || d === 'failed') box.replaceChildren(el('span', { class: 'empty', text: t(d === 'none' ? 'replayNoDecision' : 'replayDecisionFailed') }));
    else {
      const roles = (d.roles || []).map((x) => t('role.' + x)).join('、');
      box.replaceChildren(
        el('span', { class: 'tag', text: t('replayDecision') }),
        field(t('replayDecidedBy'), roles ? `${d.decidedBy} (${roles})` : d.decidedBy, 'actor'),
        field(t('replayRationale'), d.rationale || t('replayNoRationale'), 'rationale'));
    }
  }

  // ---------- rendering ----------
  function showNotice(text) { const n = $('notice'); n.textContent = text || ''; n.hidden = !text; }
  function renderUser() {
    $('user-name').textContent = state.auth.username;
    $('user-role').textContent = (state.auth.roles || []).map((r) => t('role.' + r)).join('、');
  }
  function renderJurisdictionOptions() {
    const select = $('jurisdiction');
    const codes = [NATION, ...(state.auth.jurisdictions || [])];
    if (!codes.includes(state.jurisdiction)) codes.push(state.jurisdiction);
    select.replaceChildren(...[...new Set(codes)].map((c) => {
      const name = divisionName(c);
      return el('option', { value: c, text: name ? `${c} ${name}` : c });
    }));
    select.value = state.jurisdiction;
  }
  function setText(id, value) { $(id).textContent = fmtNumber(value); }

  function render() {
    const b = state.board;
    $('as-of').textContent = b ? `${fmtTime(b.asOf)} ${t('beijingTime')}` : '—';
    if (b) $('as-of').setAttribute('datetime', b.asOf); else $('as-of').removeAttribute('datetime');
    $('sequence').textContent = b ? String(b.sequence) : '—';
    renderLevels(b ? b.responseLevels || [] : []);
    const inc = (b && b.incidents) || { total: 0, byStatus: {}, byCategory: {}, bySeverity: {} };
    $('incidents-total').textContent = String(inc.total ?? 0);
    renderBars('by-status', STATUSES, inc.byStatus, (k) => t('status.' + k), (k) => 'st-' + k);
    renderBars('by-category', CATEGORIES, inc.byCategory, (k) => t('category.' + k), () => 'cat');
    renderBars('by-severity', LEVELS, inc.bySeverity, (k) => t('severity.' + k), (k) => 'lv-' + k);
    const tasks = (b && b.tasks) || {};
    $('tasks-open').textContent = String(tasks.open ?? 0);
    $('tasks-overdue').textContent = String(tasks.overdue ?? 0);
    $('tasks-overdue').classList.toggle('alert', (tasks.overdue || 0) > 0);
    renderStock(b ? b.stock || [] : [], b ? b.requests || { open: 0, outstanding: [] } : { open: 0, outstanding: [] });
    const ch = (b && b.greenChannels) || {}, sh = (b && b.shipments) || {};
    $('channels-open').textContent = String(ch.open ?? 0);
    $('channels-disrupted').textContent = String(ch.disrupted ?? 0);
    $('channels-disrupted').classList.toggle('alert', (ch.disrupted || 0) > 0);
    $('channels-closed').textContent = String(ch.closed ?? 0);
    $('shipments-in-transit').textContent = String(sh.inTransit ?? 0);
    $('shipments-delivered').textContent = String(sh.delivered ?? 0);
    renderMapLevels();
    renderMapCount();
  }
  function renderLevels(levels) {
    const list = $('levels');
    list.replaceChildren(...levels.map((l) => {
      const name = divisionName(l.jurisdiction);
      return el('li', { 'data-jurisdiction': l.jurisdiction, 'data-level': l.level },
        el('span', { class: `badge lv-${l.level}`, text: t('levelBadge', { short: t('levelShort.' + l.level), name: t('levelName.' + l.level) }) }),
        el('span', { class: 'where', title: name || l.jurisdiction },
          el('span', { class: 'code', text: l.jurisdiction }), el('span', { class: 'name', text: name })),
        el('span', { class: 'since', text: t('levelSince', { name: t('levelName.' + l.level), t: fmtTime(l.since, false) }) }));
    }));
    $('levels-empty').hidden = levels.length > 0 || !state.board;
  }
  function renderBars(id, known, counts, label, cls) {
    counts = counts || {};
    const keys = [...known, ...Object.keys(counts).filter((k) => !known.includes(k))];
    const max = Math.max(1, ...keys.map((k) => counts[k] || 0));
    $(id).replaceChildren(...keys.map((k) => {
      const n = counts[k] || 0;
      const fill = el('div', { class: `fill ${cls(k)}` });
      fill.style.width = `${(100 * n) / max}%`;
      return el('div', { class: 'bar', 'data-key': k },
        el('span', { class: 'name', text: label(k), title: label(k) }),
        el('div', { class: 'track' }, fill),
        el('span', { class: 'n', text: fmtNumber(n) }));
    }));
  }
  function renderStock(stock, requests) {
    $('stock').tBodies[0].replaceChildren(...stock.map((s) => el('tr', { 'data-item': s.item },
      el('td', { text: s.item }),
      el('td', { class: 'num', text: fmtNumber(s.onHand) }),
      el('td', { text: fmtNumber(s.reserved) }),
      el('td', { class: s.available > 0 ? 'num' : 'num zero', text: fmtNumber(s.available) }))));
    $('stock-empty').hidden = stock.length > 0;
    const outstanding = requests.outstanding || [];
    $('requests-open').textContent = String(requests.open ?? 0);
    $('requests-overdue').textContent = String(requests.overdue ?? 0);
    $('requests-overdue').classList.toggle('alert', (requests.overdue || 0) > 0);
    $('outstanding').tBodies[0].replaceChildren(...outstanding.map((o) => el('tr', { 'data-item': o.item },
      el('td', { text: o.item }), el('td', { class: 'num', text: fmtNumber(o.quantity) }))));
    $('outstanding-empty').hidden = outstanding.length > 0;
  }

  // ---------- map ----------
  // Spherical Mercator in degree-like units, y pointing down; K spreads one degree over K user units.
  const K = 20;
  const project = ([lon, lat]) => {
    const la = Math.max(-85, Math.min(85, lat)) * Math.PI / 180;
    return [lon * K, -Math.log(Math.tan(Math.PI / 4 + la / 2)) * (180 / Math.PI) * K];
  };
  function loadMap() {
    if (state.map || state.mapLoading) return;
    state.mapLoading = fetch('china-provinces.geojson')
      .then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); return r.json(); })
      .then(drawMap)
      .catch(() => { $('map-message').dataset.i18n = 'mapFailed'; $('map-message').textContent = t('mapFailed'); })
      .finally(() => { state.mapLoading = null; });
  }
  function drawMap(geo) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const linePath = (points, close) => points.map((pt, i) => {
      const [x, y] = project(pt);
      if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
      return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
    }).join('') + (close ? 'Z' : '');
    // → { area: path data of the polygons, lines: path data of the lines }
    const pathData = (g) => {
      switch (g && g.type) {
        case 'Polygon': return { area: g.coordinates.map((r) => linePath(r, true)).join(''), lines: '' };
        case 'MultiPolygon': return { area: g.coordinates.map((p) => p.map((r) => linePath(r, true)).join('')).join(''), lines: '' };
        case 'LineString': return { area: '', lines: linePath(g.coordinates, false) };
        case 'MultiLineString': return { area: '', lines: g.coordinates.map((l) => linePath(l, false)).join('') };
        case 'GeometryCollection': return g.geometries.map(pathData).reduce((a, b) => ({ area: a.area + b.area, lines: a.lines + b.lines }), { area: '', lines: '' });
        default: return { area: '', lines: '' };
      }
    };
    const svgPath = (d, cls) => {
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', d);
      path.setAttribute('class', cls);
      return path;
    };
    const paths = new Map();
    const nodes = [];
    for (const f of geo.features) {
      const { area, lines } = pathData(f.geometry);
      const code = f.properties && f.properties.adcode;
      const zh = f.properties && f.properties.name;
      if (code) {
        const path = svgPath(area, 'province');
        path.setAttribute('fill-rule', 'evenodd');
        path.setAttribute('data-adcode', code);
        path.setAttribute('data-level', 'none');
        path.append(document.createElementNS(SVG, 'title'));
        paths.set(code, path);
        nodes.push(path);
        state.names.set(code, { zh, en: window.PROVINCE_EN[code] });
      } else { // the South China Sea islands inset: land, frame and dashes, never coloured
        if (area) nodes.push(svgPath(area, 'inset'));
        if (lines) nodes.push(svgPath(lines, 'inset-line'));
      }
    }
    $('map-provinces').replaceChildren(...nodes);
    const m = 0.5 * K;
    $('map').setAttribute('viewBox', [minX - m, minY - m, maxX - minX + 2 * m, maxY - minY + 2 * m].map((v) => v.toFixed(1)).join(' '));
    state.map = { paths };
    $('map-message').hidden = true;
    renderMapTitles();
    renderMapLevels();
    renderIncidents();
    if (state.auth) { render(); renderJurisdictionOptions(); }
  }
  function renderMapTitles() {
    for (const [code, path] of state.map.paths) {
      const level = path.getAttribute('data-level');
      path.firstChild.textContent = `${divisionName(code)} ${code}` + (LEVELS.includes(level) ? ` · ${t('levelShort.' + level)} ${t('levelName.' + level)}` : '');
    }
  }
  function renderMapLevels() {
    const levels = (state.board && state.board.responseLevels) || [];
    const nation = levels.find((l) => l.jurisdiction === NATION);
    const banner = $('nation-level');
    banner.hidden = !nation;
    if (nation) { banner.className = `nation-level lv-${nation.level}`; banner.textContent = t('nationLevel', { level: `${t('levelShort.' + nation.level)} ${t('levelName.' + nation.level)}` }); }
    if (!state.map) return;
    const own = new Map(), local = new Map(); // province → its own level; province → most severe level below it
    for (const l of levels) {
      if (!/^\d{6}$/.test(l.jurisdiction) || l.jurisdiction === NATION) continue;
      const province = l.jurisdiction.slice(0, 2) + '0000';
      if (l.jurisdiction === province) own.set(province, l.level);
      else if (!local.has(province) || LEVELS.indexOf(l.level) < LEVELS.indexOf(local.get(province))) local.set(province, l.level);
    }
    const scope = state.board ? state.board.jurisdiction : state.jurisdiction;
    for (const [code, path] of state.map.paths) {
      path.setAttribute('data-level', own.get(code) || 'none');
      const cls = ['province'];
      if (local.has(code)) cls.push('local-' + local.get(code));
      if (scope && scope !== NATION && scope.slice(0, 2) !== code.slice(0, 2)) cls.push('out');
      path.setAttribute('class', cls.join(' '));
    }
    renderMapTitles();
  }

  // Open incidents on the map: the list, then the details (with the location) of at most 200, loaded
  // again when the board's sequence moves, at most every 3 s.
  function scheduleIncidents() {
    if (state.incidentTimer) return;
    const wait = Math.max(0, state.lastIncidentLoad + INCIDENT_MIN_GAP_MS - Date.now());
    state.incidentTimer = setTimeout(loadIncidents, wait);
  }
  async function loadIncidents() {
    state.incidentTimer = null;
    if (state.incidentsBusy) { state.incidentsAgain = true; return; }
    if (!state.auth || !state.board || state.replay) return; // the list is of now: not shown in replay
    state.incidentsBusy = true; state.incidentsAgain = false;
    state.lastIncidentLoad = Date.now();
    const gen = state.gen, seq = state.board.sequence, scope = state.jurisdiction;
    try {
      const list = await api(`/api/incidents?jurisdiction=${encodeURIComponent(scope)}`);
      const all = (list || []).filter((i) => OPEN.has(i.status));
      const open = all.slice(0, MAX_MAP_INCIDENTS);
      const wanted = open.filter((i) => !state.incidentDetails.has(i.id));
      let next = 0;
      const worker = async () => {
        while (next < wanted.length && gen === state.gen) {
          const i = wanted[next++];
          try {
            const d = await api(`/api/incidents/${encodeURIComponent(i.id)}`);
            state.incidentDetails.set(i.id, d && d.location ? d.location : null);
          } catch (e) { if (e instanceof AuthError) return; }
        }
      };
      await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, worker));
      if (gen !== state.gen) return;
      const keep = new Set(open.map((i) => i.id));
      for (const id of state.incidentDetails.keys()) if (!keep.has(id)) state.incidentDetails.delete(id);
      state.incidents = open.map((i) => ({ ...i, location: state.incidentDetails.get(i.id) })).filter((i) => i.location);
      state.incidentsCapped = all.length > MAX_MAP_INCIDENTS;
      state.incidentSeq = seq;
      renderIncidents();
    } catch (e) {
      // A refusal (4xx) is not retried until the board moves on; a network or server error is, 3 s later.
      if (gen === state.gen && e.status >= 400 && e.status < 500) state.incidentSeq = seq;
    } finally {
      state.incidentsBusy = false;
      if (state.auth && !state.replay && (state.incidentsAgain || (state.board && state.board.sequence !== state.incidentSeq))) {
        state.incidentsAgain = false;
        scheduleIncidents();
      }
    }
  }
  function renderIncidents() {
    const group = $('map-incidents');
    if (!state.map) return;
    group.replaceChildren(...state.incidents.map((i) => {
      const [x, y] = project([i.location.longitude, i.location.latitude]);
      const c = document.createElementNS(SVG, 'circle');
      c.setAttribute('cx', x.toFixed(1)); c.setAttribute('cy', y.toFixed(1));
      c.setAttribute('r', i.severity === 'I' || i.severity === 'II' ? 0.45 * K : 0.3 * K);
      c.setAttribute('class', `incident st-${i.status}` + (i.severity ? ` sev-${i.severity}` : ''));
      c.setAttribute('data-id', i.id);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${i.title} · ${t('status.' + i.status)}` + (i.severity ? ` · ${t('severity.' + i.severity)}` : '') + ` · ${i.jurisdiction}`;
      c.append(title);
      return c;
    }));
    renderMapCount();
  }
  function renderMapCount() {
    $('map-count').textContent = state.replay ? t('replayNoDots') : state.board
      ? t('mapShowing', { n: state.incidents.length }) + (state.incidentsCapped ? t('mapCapped', { n: MAX_MAP_INCIDENTS }) : '')
      : '';
  }

  // ---------- wiring ----------
  function init() {
    $('signin').addEventListener('submit', signIn);
    document.querySelectorAll('.lang-switch').forEach((b) => b.addEventListener('click', toggleLanguage));
    $('signout').addEventListener('click', () => signOut('signedOut'));
    $('replay-toggle').addEventListener('click', () => (state.replay ? leaveReplay() : enterReplay()));
    $('replay-prev').addEventListener('click', () => state.replay && goToReplayEvent(state.replay.index - 1));
    $('replay-next').addEventListener('click', () => state.replay && goToReplayEvent(state.replay.index + 1));
    $('replay-slider').addEventListener('input', (e) => goToReplayEvent(Number(e.target.value)));
    for (const id of ['replay-from', 'replay-to']) $(id).addEventListener('change', () => {
      if (!state.replay) return;
      state.replay.rangeEdited = true;
      setReplayBusy(true);
      loadReplayEventsSoon();
    });
    $('jurisdiction').addEventListener('change', (e) => setJurisdiction(e.target.value));
    $('jurisdiction-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('jurisdiction-code');
      const code = input.value.trim();
      if (!/^\d{6}$/.test(code)) { showNotice(t('badCode')); input.focus(); return; }
      input.value = '';
      setJurisdiction(code);
    });
    applyLanguage();
    currentSession().then((session) => {
      if (session && !state.auth) {
        state.auth = { username: session.username, roles: session.roles || [], jurisdictions: session.jurisdictions || [] };
        showBoard();
      } else if (!state.auth) { $('signin-view').hidden = false; $('board').hidden = true; }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
