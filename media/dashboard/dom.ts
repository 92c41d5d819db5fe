// A small element builder: classes, text, attributes and listeners, never inline style attributes
// (the CSP forbids them) and never HTML strings (nothing recorded is ever parsed as markup).

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const [type, fn] of Object.entries(props.on ?? {})) if (fn) el.addEventListener(type, fn as EventListener);
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

export interface ButtonOptions {
  icon?: string;
  title?: string;
  kind?: 'primary' | 'secondary' | 'icon' | 'link';
  disabled?: boolean;
  onClick: (e: MouseEvent) => void;
}

export function button(label: string, o: ButtonOptions): HTMLButtonElement {
  const kind = o.kind ?? 'secondary';
  const b = h(
    'button',
    {
      class: `btn btn-${kind}`,
      title: o.title ?? (kind === 'icon' ? label : undefined),
      attrs: { type: 'button', 'aria-label': kind === 'icon' ? label : undefined, disabled: o.disabled },
      on: { click: o.onClick },
    },
    o.icon ? icon(o.icon) : null,
    kind === 'icon' ? null : h('span', { text: label }),
  );
  return b;
}

/** Shows or hides without a style attribute. */
export function setShown(el: HTMLElement, shown: boolean): void {
  el.hidden = !shown;
}
