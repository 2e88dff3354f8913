// Until Python is up, the page works from what the build recorded Python doing
// (chainrule/state/first_steps.py, inlined as #first-steps): the step controls and their
// keys replay the default example's recorded renderer calls, counter and
// explanation through the same renderer; the theme and panel buttons, Fit and the
// shortcuts help work as they will with Python. Controls that need Python stay
// disabled, saying so (boot.js). When Python is ready it calls handOver(), which
// stops all of this and says where the replay stands, so Python takes over there.
(() => {
  const root = document.documentElement;
  const script = document.getElementById('first-steps');
  if (!script) return;
  const recording = JSON.parse(script.textContent);
  const element = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const listening = new AbortController();
  const on = (target, type, handler) => target?.addEventListener(type, handler, { signal: listening.signal });
  const stored = (key) => {
    try { return localStorage.getItem(key); } catch { return null; }
  };
  const store = (key, value) => {
    try { localStorage.setItem(key, value); } catch { /* private mode: not kept */ }
  };
  // Why what needs Python does nothing yet (boot.js says it).
  const waiting = () => globalThis.chainruleWaiting?.() ?? '';

  let view = null;
  let position = 0;
  let player = 0;
  let used = false;
  let handedOver = false;

  // The steps replay on the graph Python would draw itself at the same step: the
  // default example, with no link to open and no program or lesson of the user's saved.
  // (The build draws it in either direction, and its steps are the same in both.)
  const { storage } = recording;
  const replays = !location.hash.startsWith(recording.sharePrefix)
    && [null, recording.text].includes(stored(storage.text))
    && stored(storage.lesson) === null;

  // -- the step controls ------------------------------------------------------
  const play = element('play');
  const counter = element('step-counter');
  const explanation = element('step-explanation');

  function show() {
    const place = recording.places[position];
    counter.textContent = place.counter;
    counter.dataset.phase = place.phase;
    explanation.innerHTML = place.explanation;
    for (const [testid, disabled] of Object.entries(place.disabled)) {
      const control = element(testid);
      if (control) control.disabled = testid === 'play' ? disabled && !player : disabled;
    }
  }

  function run(name) {
    const { to, calls } = recording.moves[position][name];
    for (const [method, ...args] of calls) view[method](...args);
    position = to;
    used = true;
  }

  function stopPlaying() {
    if (!player) return;
    clearInterval(player);
    player = 0;
    play.dataset.playing = 'false';
    play.textContent = recording.play.labels.play;
    show();
  }

  const interval = () => recording.play.speeds[element('speed').value] ?? 450;
  function tick() {
    run('step');
    show();
    if (recording.places[position].atEnd) stopPlaying();
  }

  const controls = {
    step: tick,
    back: () => { stopPlaying(); run('back'); show(); },
    reset: () => { stopPlaying(); run('reset'); show(); },
    finish: () => { stopPlaying(); run('finish'); show(); },
    play() {
      if (player) {
        stopPlaying();
        return;
      }
      run('play');
      player = setInterval(tick, interval());
      play.dataset.playing = 'true';
      play.textContent = recording.play.labels.pause;
      show();
    },
  };

  function startSteps() {
    root.dataset.steps = 'replayed';
    for (const name of Object.keys(controls)) on(element(name), 'click', () => controls[name]());
    on(element('speed'), 'input', () => {
      if (!player) return;
      clearInterval(player);
      player = setInterval(tick, interval());
    });
    show();
    dispatchEvent(new Event('chainrule:controls'));
  }

  // -- theme, panel, shortcuts help, Fit ---------------------------------------
  // As Python's page/look.py writes them: textContent and title as properties.
  const setAttributes = (element, attributes) => {
    for (const [name, text] of Object.entries(attributes)) {
      if (name === 'textContent' || name === 'title') element[name] = text;
      else element.setAttribute(name, text);
    }
  };
  const panelState = () => (root.dataset.panel === 'collapsed' ? 'collapsed' : 'open');
  function showTheme() {
    if (!(root.dataset.theme in recording.themes)) root.dataset.theme = Object.keys(recording.themes)[0];
    setAttributes(element('theme'), recording.themes[root.dataset.theme].attributes);
  }
  const showPanel = () => setAttributes(element('panel-toggle'), recording.panel[panelState()].attributes);

  const chrome = {
    theme() {
      root.dataset.theme = recording.themes[root.dataset.theme]?.next ?? Object.keys(recording.themes)[0];
      store(storage.theme, root.dataset.theme);
      showTheme();
    },
    panel() {
      root.dataset.panel = recording.panel[panelState()].next;
      store(storage.panel, root.dataset.panel);
      showPanel();
      view?.reframe();
    },
    shortcuts() {
      const dialog = element('shortcuts');
      if (dialog.open) dialog.close();
      else dialog.showModal();
    },
  };
  on(element('theme'), 'click', chrome.theme);
  on(element('panel-toggle'), 'click', chrome.panel);
  on(element('shortcuts-button'), 'click', chrome.shortcuts);
  on(element('fit-view'), 'click', () => view?.fitView());
  showTheme();
  showPanel();

  // -- keys: the page's shortcuts, as chainrule/keys.py maps them --------------
  const { keys } = recording;
  function focusKind(target) {
    if (keys.fields.includes(target.tagName) || target.isContentEditable) return 'field';
    if (keys.controls.includes(target.tagName) || keys.roles.includes(target.getAttribute?.('role'))) return 'control';
    return 'page';
  }
  on(document, 'keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const focus = focusKind(event.target);
    if (focus === 'field' || (focus === 'control' && keys.press.includes(event.key))) return;
    const action = keys.shortcuts[event.key];
    const handler = chrome[action] ?? (root.dataset.steps === 'replayed' ? controls[action] : null);
    if (!handler) return;
    event.preventDefault();
    handler();
  });

  // -- the canvas: tuning waits for Python --------------------------------------
  let toastTimer = 0;
  function toast(message) {
    const box = element('toast');
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 2500);
  }
  const inputHandler = (kind) => {
    if (kind === 'commit') return waiting();
    if (kind === 'scrub-start') toast(`${waiting()}: the values can be changed once it is ready.`);
    return '';
  };

  const api = {
    // The renderer's view, once it has drawn the build's graph (index.html).
    attach(drawn) {
      if (handedOver || view) return;
      performance.mark('chainrule:first-steps');
      view = drawn;
      view.setInputHandler(inputHandler);
      element('fit-view').disabled = false;
      if (replays) startSteps();
      else dispatchEvent(new Event('chainrule:controls'));
    },
    // Python is ready: nothing here answers the page any more. Returns, as JSON, the
    // program the replay stepped, its step, whether it was playing and whether the
    // user stepped at all.
    handOver() {
      handedOver = true;
      const playing = Boolean(player);
      stopPlaying();
      listening.abort();
      clearTimeout(toastTimer);
      delete root.dataset.steps;
      return JSON.stringify({ text: recording.text, step: position, playing, used: used && replays });
    },
  };
  globalThis.chainruleFirstSteps = api;
  // A Python that does not ask still gets the page to itself once it is ready.
  new MutationObserver((_, observer) => {
    if (root.dataset.state !== 'ready') return;
    observer.disconnect();
    if (!handedOver) api.handOver();
  }).observe(root, { attributes: true, attributeFilter: ['data-state'] });
})();
