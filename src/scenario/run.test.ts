import { describe, expect, it } from 'vitest';
import { loadScenarios } from './load.js';
import { runScenario } from './run.js';

const load = (text: string) => loadScenarios(text, '/virtual/test.yaml', () => '');
const OPTS = { readFile: () => '' };

const LIVENESS = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata:
  name: exec-liveness
  tags: [probes]
  conformance: { rule: "A failing liveness probe restarts the container", source: "kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes" }
spec:
  seed: 7
  steps:
  - name: create
    apply:
      manifest:
        apiVersion: v1
        kind: Pod
        metadata: { name: liveness-exec }
        spec:
          containers:
          - name: liveness
            image: registry.k8s.io/busybox
            args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
            livenessProbe: { exec: { command: [cat, /tmp/healthy] }, initialDelaySeconds: 5, periodSeconds: 5 }
  - name: running
    wait: { resource: { kind: Pod, name: liveness-exec }, match: { status: { phase: Running } }, timeout: 1m }
  - name: restarted
    wait: { resource: { kind: Pod, name: liveness-exec }, expression: "status.containerStatuses[0].restartCount >= \`1\`", timeout: 2m }
  - kubectl: describe pod liveness-exec
  - expect: { list: { kind: Event }, match: { reason: Unhealthy, type: Warning } }
`;

describe('scenario runner', () => {
  it('runs a scenario: steps, waits, a kubectl view as evidence, timeline; the same seed gives the same trace hash', () => {
    const [s] = load(LIVENESS);
    const r = runScenario(s!, OPTS);
    expect(r.status).toBe('passed');
    expect(r.steps.map((x) => `${x.status} ${x.name}`)).toEqual([
      'passed create',
      'passed running',
      'passed restarted',
      'passed kubectl describe pod liveness-exec',
      'passed expect event: matches {"reason":"Unhealthy","type":"Warning"}',
    ]);
    expect(r.views[0]!.output).toContain('Liveness:       exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3');
    expect(r.views[0]!.output).toMatch(/Warning\s+Unhealthy\s+.*Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
    expect(r.area).toBe('probes');
    expect(r.seed).toBe('7');
    expect(r.timeline.t.length).toBeGreaterThan(10);
    expect(r.timeline.series.find((x) => x.name === 'pods ready')).toBeDefined();
    expect(r.replay).toBe("npx crucible replay /virtual/test.yaml --scenario 'exec-liveness' --seed '7'");
    expect(runScenario(s!, OPTS).traceHash).toBe(r.traceHash);
    expect(runScenario(s!, { ...OPTS, seed: '8' }).traceHash).not.toBe(r.traceHash);
  });

  it('a failing wait fails the scenario with the reason, evidence and views; try/catch/finally and invariants', () => {
    const text = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: pending }
spec:
  invariants:
  - name: no pod on node-3
    list: { kind: Pod }
    expression: "length([?spec.nodeName == 'node-3']) == \`0\`"
    during: { from: guarded, to: guarded }
  steps:
  - name: guarded
    try:
    - apply: { manifest: { apiVersion: v1, kind: Pod, metadata: { name: big }, spec: { containers: [{ name: c, image: nginx, resources: { requests: { cpu: "64" } } }] } } }
    - wait: { resource: { kind: Pod, name: big }, condition: { type: Ready }, timeout: 20s }
    catch:
    - kubectl: get pods
    finally:
    - advance: 1s
  - wait: { resource: { kind: Pod, name: big }, condition: { type: Ready }, timeout: 10s }
`;
    const r = runScenario(load(text)[0]!, OPTS);
    expect(r.status).toBe('failed');
    const group = r.steps[0]!;
    expect(group.status).toBe('passed');
    expect(group.children!.map((c) => c.status)).toEqual(['passed', 'failed', 'passed', 'passed']);
    expect(group.children![1]!.error).toBe('timed out after 20s waiting for pod/big: condition Ready=True: it has no Ready condition; PodScheduled is False (Unschedulable: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..)');
    expect(r.reason).toMatch(/^wait pod\/big: condition Ready=True \(10s\): timed out after 10s/);
    expect(r.invariants).toEqual([{ name: 'no pod on node-3', status: 'held', checks: expect.any(Number) }]);
    expect(r.evidence.map((e) => e.title)).toEqual(['pod/big', 'kubectl describe pod big', 'logs big -c c']);
    expect(r.evidence[1]!.text).toContain('FailedScheduling');
    expect(r.views.map((v) => v.command)).toEqual(['kubectl get pods', 'kubectl get pods -A -o wide', 'kubectl get events -A']);
  });

  it('an invariant violated at any event fails the step that was running, with the time and the reason', () => {
    const text = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: bounded }
spec:
  invariants:
  - name: at most 2 pods
    list: { kind: Pod, selector: app=web }
    expression: "length(@) <= \`2\`"
  steps:
  - apply: { manifest: { apiVersion: apps/v1, kind: Deployment, metadata: { name: web }, spec: { replicas: 3, selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: nginx }] } } } } }
  - advance: 30s
`;
    const r = runScenario(load(text)[0]!, OPTS);
    expect(r.status).toBe('failed');
    expect(r.invariants[0]).toMatchObject({ status: 'violated', violation: { message: expect.stringMatching(/^invariant "at most 2 pods" violated at \d+\.\d{3}s: pod -l app=web: length\(@\) <= `2`: evaluates to false$/) } });
    expect(r.steps.map((s) => `${s.status} ${s.action}`)).toEqual(['passed apply', 'failed advance']);
  });

  it('container-kill: the kubelet kills the container (exit 137) and restarts it; the kill is shaded on the timeline', () => {
    const text = `apiVersion: crucible.dev/v1alpha1
kind: Scenario
metadata: { name: kill }
spec:
  steps:
  - apply: { manifest: { apiVersion: v1, kind: Pod, metadata: { name: web }, spec: { containers: [{ name: nginx, image: "nginx:1.27" }] } } }
  - wait: { resource: { kind: Pod, name: web }, condition: { type: Ready }, timeout: 1m }
  - fault: { kind: container-kill, pod: web }
  - wait: { resource: { kind: Pod, name: web }, expression: "status.containerStatuses[0].restartCount == \`1\` && status.containerStatuses[0].lastState.terminated.exitCode == \`137\`", timeout: 1m }
`;
    const r = runScenario(load(text)[0]!, OPTS);
    expect(r.status, r.reason).toBe('passed');
    expect(r.steps[2]!.name).toBe('fault container-kill web');
    expect(r.timeline.faults).toEqual([expect.objectContaining({ description: 'container-kill web' })]);
    expect(() => load(text.replace('pod: web }', 'pod: web, signal: 9 }'))).toThrow('spec.steps[2].fault.signal: unknown field (expected one of kind, pod, container, namespace)');
  });
});
