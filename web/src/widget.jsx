// The notebook widget (anywidget): the page's graph view, its step controls and the
// step's explanation, driven by traitlets the kernel's Python sets (chainrule/notebook).
// Every action is one message to the kernel; nothing here decides what to show.
import { mountGraph } from './graph-view.jsx';
import './widget.css';

const PLAY_MS = 450;
const CONTROLS = [
  ['reset', '◀◀ Reset', 'Reset (Home)'],
  ['back', '◀ Back', 'Back (←)'],
  ['play', '▶ Play', 'Play / Pause (Space)'],
  ['step', 'Step ▶', 'Step (→)'],
  ['finish', 'Finish ▶▶', 'Finish (End)'],
  ['expand-current', 'Expand', 'Expand the group of this step (G)'],
];
const KEYS = { ArrowRight: 'step', ArrowLeft: 'back', Home: 'reset', End: 'finish', ' ': 'play',
  g: 'expand-current', G: 'expand-current' };

function element(tag, attributes = {}, text = '') {
  const made = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) made.setAttribute(key, value);
  if (text) made.textContent = text;
  return made;
}

function render({ model, el }) {
  const root = element('div', { class: 'chainrule-widget', tabindex: '0',
    'aria-label': 'Compute graph: arrow keys step through backpropagation' });
  const bar = element('nav', { class: 'crw-bar', 'data-testid': 'controls',
    'aria-label': 'Backprop steps' });
  const buttons = {};
  for (const [name, text, title] of CONTROLS) {
    buttons[name] = element('button', { type: 'button', 'data-testid': name, title }, text);
    bar.append(buttons[name]);
  }
  const counter = element('output', { class: 'crw-counter', 'data-testid': 'step-counter' });
  bar.append(counter);
  const inputs = element('div', { class: 'crw-inputs', 'data-testid': 'inputs-list' });
  const canvas = element('div', { class: 'crw-canvas', 'data-testid': 'canvas' });
  const explanation = element('div', { class: 'crw-explain', 'data-testid': 'step-explanation',
    'aria-live': 'polite' });
  const message = element('p', { class: 'crw-message', role: 'alert', 'data-testid': 'message' });
  root.append(bar, inputs, canvas, explanation, message);
  el.append(root);

  const send = (action, detail = {}) => model.send({ action, ...detail });
  const sizeCanvas = () => { canvas.style.height = `${model.get('height')}px`; };
  sizeCanvas();
  const view = mountGraph(canvas);
  view.setGroupHandler((name) => send('group', { name }));
  // The kernel answers a refused number with the state's message, not at once.
  view.setInputHandler((kind, name, amount, fine) => {
    send('input', kind === 'commit' ? { kind, name, text: String(amount) }
      : { kind, name, amount: amount ?? null, fine: Boolean(fine) });
    return '';
  });

  let player = 0;
  const playing = () => player !== 0;
  const stop = () => {
    clearInterval(player);
    player = 0;
    showState();
  };
  const play = () => {
    if (playing()) { stop(); return; }
    if (model.get('state').disabled.step) send('reset');
    player = setInterval(() => send('step'), PLAY_MS);
    showState();
  };
  const act = (name) => {
    if (buttons[name].disabled) return;
    if (name === 'play') { play(); return; }
    if (name !== 'step' && name !== 'expand-current') stop();
    send(name);
  };
  for (const name of Object.keys(buttons)) buttons[name].addEventListener('click', () => act(name));
  root.addEventListener('keydown', (event) => {
    const name = KEYS[event.key];
    if (!name || event.ctrlKey || event.metaKey || event.altKey
        || ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
    event.preventDefault();
    event.stopPropagation(); // Jupyter's own shortcuts stay out of it
    act(name);
  });

  let inputsShown = '';
  function showInputs(list) {
    const key = JSON.stringify(list);
    if (key === inputsShown) return;
    inputsShown = key;
    inputs.replaceChildren(...list.map(([name, text]) => {
      const label = element('label', { class: 'crw-input' }, `${name} `);
      const field = element('input', { 'data-testid': `input-${name}`, inputmode: 'decimal',
        spellcheck: 'false', 'aria-label': `Value of ${name}` });
      field.value = text;
      field.addEventListener('keydown', (event) => {
        event.stopPropagation();
        if (event.key === 'Enter') send('input', { kind: 'commit', name, text: field.value });
        else if (event.key === 'Escape') field.value = text;
      });
      field.addEventListener('change', () => {
        if (field.value !== text) send('input', { kind: 'commit', name, text: field.value });
      });
      label.append(field);
      return label;
    }));
    inputs.hidden = list.length === 0;
  }

  function showState() {
    const state = model.get('state');
    counter.textContent = `step ${state.position} / ${state.total}`;
    if (playing() && state.disabled.step) {
      clearInterval(player);
      player = 0;
    }
    for (const [name, disabled] of Object.entries(state.disabled)) {
      buttons[name].disabled = name === 'play' ? disabled || (state.disabled.step && !playing()) : disabled;
    }
    buttons['expand-current'].hidden = !state.groups;
    buttons.play.dataset.playing = String(playing());
    buttons.play.textContent = playing() ? '⏸ Pause' : '▶ Play';
    explanation.replaceChildren(...state.explanation.map(([testid, text]) => (
      element('p', { 'data-testid': testid }, text))));
    message.textContent = state.message;
    message.hidden = !state.message;
    showInputs(state.inputs);
  }

  const drawGraph = (redraw) => {
    if (redraw === 'regroup') view.regroup(model.get('graph'), false);
    else view.setGraph(model.get('graph'), redraw === 'fit');
  };
  const drawPatch = () => view.update(JSON.stringify(model.get('patch').cells ?? {}));
  const redrawGraph = () => drawGraph(model.get('redraw'));
  drawGraph('fit');
  showState();
  // A view drawn after some steps (the widget shown again) has the graph of before them:
  // the kernel then sends the graph as it is now to every view.
  send('ready');
  model.on('change:graph', redrawGraph);
  model.on('change:patch', drawPatch);
  model.on('change:state', showState);
  model.on('change:height', sizeCanvas);
  return () => {
    clearInterval(player);
    model.off('change:graph', redrawGraph);
    model.off('change:patch', drawPatch);
    model.off('change:state', showState);
    model.off('change:height', sizeCanvas);
    view.unmount();
  };
}

export default { render };
