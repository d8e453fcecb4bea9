// A tiny memo(): re-render a component only when a prop changes by identity (items are immutable).
import { Component, h, type ComponentType, type FunctionComponent } from "preact";

export function memo<P extends object>(fn: FunctionComponent<P>): ComponentType<P> {
  return class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>;
      const nextRec = next as Record<string, unknown>;
      for (const k in nextRec) if (k !== "children" && prev[k] !== nextRec[k]) return true;
      for (const k in prev) if (!(k in nextRec)) return true;
      return false;
    }
    override render(props: P) {
      return h(fn, props);
    }
  };
}
