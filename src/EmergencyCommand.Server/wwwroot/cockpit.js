// Emergency Command Cockpit: signs in, shows the situation board of one jurisdiction, keeps it live
// over Server-Sent Events (polling every 5 s when SSE is down), and draws China's provinces coloured
// by the response level in force, with the open incidents as dots. Plain JS, no dependencies.
'use strict';
(() => {
  const NATION = '000000';
  const LEVELS = ['I', 'II', 'III', 'IV'];
  const STATUSES = ['Reported', 'Verified', 'Dismissed', 'Closed'];
  const CATEGORIES = ['PublicHealth', 'NaturalDisaster', 'Accident', 'SocialSecurity'];
  const OPEN = new Set(['Reported', 'Verified']);
  const POLL_MS = 5000, SSE_RETRY_MS = 30000, INCIDENT_MIN_GAP_MS = 3000, MAX_MAP_INCIDENTS = 200, DETAIL_CONCURRENCY = 6;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  const state = {
    lang: localStorage.getItem('cockpit.lang') === 'en' ? 'en' : 'zh',
    auth: readAuth(),          // { token, username, roles, jurisdictions, expiresAt }
    jurisdiction: sessionStorage.getItem('cockpit.jurisdiction') || NATION,
    board: null,
    gen: 0,                    // bumped on every (re)connect and sign-out; late answers of older ones are dropped
    es: null, pollTimer: null, sseRetryTimer: null, expiryTimer: null,
    map: null,                 // { projection, paths: Map(adcode → path) }
    mapLoading: null,
    incidents: [], incidentDetails: new Map(), incidentSeq: null, incidentTimer: null,
    incidentsBusy: false, incidentsAgain: false, lastIncidentLoad: 0, incidentsCapped: false,
    names: new Map(),          // division code → { zh, en } (null while looked up / unknown)
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
  function readAuth() {
    try {
      const a = JSON.parse(sessionStorage.getItem('cockpit.auth') || 'null');
      if (a && a.token && (!a.expiresAt || new Date(a.expiresAt) > new Date())) return a;
    } catch { /* ignore */ }
    sessionStorage.removeItem('cockpit.auth');
    return null;
  }
  class AuthError extends Error {}
  async function api(path, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    if (state.auth) headers.Authorization = `Bearer ${state.auth.token}`;
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
      const res = await fetch('/api/auth/token', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status === 401 || res.status === 400) { error.textContent = t('badCredentials'); return; }
      if (!res.ok) { error.textContent = t('loadFailed', { msg: `HTTP ${res.status}` }); return; }
      const body = await res.json();
      state.auth = { token: body.accessToken, username, roles: body.roles || [], jurisdictions: body.jurisdictions || [], expiresAt: body.expiresAt };
      sessionStorage.setItem('cockpit.auth', JSON.stringify(state.auth));
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
  function signOut(reason) {
    const wasSignedIn = !!state.auth;
    state.gen++;
    stopLive();
    clearTimeout(state.expiryTimer); clearTimeout(state.incidentTimer); state.incidentTimer = null;
    state.auth = null; state.board = null; state.incidents = []; state.incidentDetails.clear(); state.incidentSeq = null;
    sessionStorage.removeItem('cockpit.auth');
    $('board').hidden = true;
    $('signin-view').hidden = false;
    $('signin-error').textContent = wasSignedIn && reason ? t(reason) : '';
    $('username').focus();
  }

  // ---------- board lifecycle ----------
  function showBoard() {
    $('signin-view').hidden = true;
    $('board').hidden = false;
    clearTimeout(state.expiryTimer);
    if (state.auth.expiresAt) {
      const ms = new Date(state.auth.expiresAt) - Date.now();
      if (ms > 0 && ms < 2 ** 31) state.expiryTimer = setTimeout(() => signOut('sessionExpired'), ms);
    }
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
    connect();
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
    if (gen !== state.gen || !board || !state.auth) return;
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
    $('live-text').textContent = t(mode === 'connected' ? 'liveConnected' : mode === 'polling' ? 'livePolling' : 'liveOffline');
  }
  function openLive(gen) {
    const url = `/api/situation/live?jurisdiction=${encodeURIComponent(state.jurisdiction)}&access_token=${encodeURIComponent(state.auth.token)}`;
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
    if (!state.auth || !state.board) return;
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
      if (state.auth && (state.incidentsAgain || (state.board && state.board.sequence !== state.incidentSeq))) {
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
    $('map-count').textContent = state.board
      ? t('mapShowing', { n: state.incidents.length }) + (state.incidentsCapped ? t('mapCapped', { n: MAX_MAP_INCIDENTS }) : '')
      : '';
  }

  // ---------- wiring ----------
  function init() {
    $('signin').addEventListener('submit', signIn);
    document.querySelectorAll('.lang-switch').forEach((b) => b.addEventListener('click', toggleLanguage));
    $('signout').addEventListener('click', () => signOut('signedOut'));
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
    if (state.auth) showBoard();
    else { $('signin-view').hidden = false; $('board').hidden = true; }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
