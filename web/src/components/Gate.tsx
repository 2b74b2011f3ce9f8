import { For, Show } from 'solid-js';
import type { GateDecision, GateState } from '../lib/gate';

/** How each state looks. `error` (nothing measured) is never green and says so in words. */
const GATE_LOOK: Record<GateState, { kind: string; icon: string; label: string }> = {
  pass: { kind: 'pass', icon: '✓', label: 'pass' },
  fail: { kind: 'fail', icon: '✗', label: 'fail' },
  error: { kind: 'error', icon: '⚠', label: 'Not evaluated' },
  cancelled: { kind: 'warn', icon: '■', label: 'cancelled' },
  pending: { kind: 'neutral', icon: '…', label: 'pending' },
};

/** The gate's state as a badge; its title is the tooltip. */
export function GateBadge(props: { gate: GateDecision }) {
  const look = () => GATE_LOOK[props.gate.state];
  return (
    <span class={`badge badge-${look().kind}`} title={props.gate.title} data-gate={props.gate.state}>
      <span aria-hidden="true">{look().icon}</span> {look().label}
    </span>
  );
}

function Lines(props: { lines: string[]; label: string; class?: string }) {
  return (
    <Show when={props.lines.length}>
      <ul class={props.class} aria-label={props.label}>
        <For each={props.lines}>{(line) => <li>{line}</li>}</For>
      </ul>
    </Show>
  );
}

/** Badge, title and why it did not pass: for lists and headers. */
export function GateLine(props: { gate: GateDecision }) {
  return (
    <div class="gate-line">
      <GateBadge gate={props.gate} /> <span class="gate-title">{props.gate.title}</span>
      <Lines lines={props.gate.reasons} label="Why the gate did not pass" class="gate-reasons" />
    </div>
  );
}

/** The gate's whole decision on the run page: reasons, then what is worth a look but not gating. */
export function GateSummary(props: { gate: GateDecision }) {
  return (
    <section class={`gate gate-${props.gate.state}`} aria-label="Gate decision">
      <GateBadge gate={props.gate} /> <span class="gate-title">{props.gate.title}</span>
      <Lines lines={props.gate.reasons} label="Why the gate did not pass" />
      <Show when={props.gate.warnings.length}>
        <p class="gate-warnings">Warnings (not gating):</p>
        <Lines lines={props.gate.warnings} label="Warnings" />
      </Show>
    </section>
  );
}
