import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/index.js';
import { kubectl } from './command.js';
import { renderJsonPath } from './jsonpath.js';
import { humanDuration } from './table.js';
import { tabwrite } from './tabwriter.js';

const web = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        readinessProbe: { httpGet: { path: /, port: 80 } }
`;

describe('kubectl views (upstream pkg/printers and kubectl/pkg/describe, v1.32)', () => {
  it.each([
    [0, '0s'], [59_999, '59s'], [119_000, '119s'], [120_000, '2m'], [135_000, '2m15s'], [600_000, '10m'], [179 * 60_000, '179m'], [3 * 3_600_000, '3h'],
    [3 * 3_600_000 + 5 * 60_000, '3h5m'], [8 * 3_600_000, '8h'], [47 * 3_600_000, '47h'], [50 * 3_600_000, '2d2h'], [8 * 86_400_000, '8d'], [800 * 86_400_000, '2y70d'], [-500, '0s'], [-5_000, '<invalid>'],
  ])('HumanDuration(%i ms) = %s', (ms, text) => expect(humanDuration(ms)).toBe(text));

  it('tabwriter: column blocks end at lines without the column; the last cell is never padded', () => {
    expect(tabwrite('Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n', 0, 2)).toBe('Name:       web\nNamespace:  default\nContainers:\n  nginx:\n    Image:  nginx\n');
    expect(tabwrite('A\tB\tC\nlonger\tx\ty\n', 6, 3)).toBe('A        B     C\nlonger   x     y\n');
  });

  it('JSONPath templates: fields, wildcards, filters, range', () => {
    const data = { items: [{ metadata: { name: 'a' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { metadata: { name: 'b' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }] };
    expect(renderJsonPath('{.items[*].metadata.name}', data)).toBe('a b');
    expect(renderJsonPath('{.items[0].metadata.name}', data)).toBe('a');
    expect(renderJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}', data)).toBe('a\tTrue\nb\tFalse\n');
  });

  it('get: tables with kubectl\'s columns, wide, all namespaces, several kinds, names, custom columns; errors as kubectl prints them', () => {
    const c = Cluster.create({ seed: 'views-get' });
    c.apply(web);
    c.waitForCondition('deployment', 'web', 'Available');
    c.advance(120_000);
    const pods = kubectl(c, 'get pods -o wide').output.split('\n');
    expect(pods[0]).toBe('NAME                   READY   STATUS    RESTARTS   AGE     IP           NODE     NOMINATED NODE   READINESS GATES');
    expect(pods[1]).toMatch(/^web-[a-z0-9]{10}-[a-z0-9]{5}   1\/1     Running   0          2m\d+s   10\.244\.\d\.\d   node-\d   <none>           <none>$/);
    expect(kubectl(c, 'get deploy').output).toMatch(/^NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2\/2     2            2           2m\d+s\n$/);
    expect(kubectl(c, 'get deploy,rs').output).toMatch(/^NAME {18}READY   UP-TO-DATE   AVAILABLE   AGE\ndeployment\.apps\/web   2\/2 .*\n\nNAME {29}DESIRED   CURRENT   READY   AGE\nreplicaset\.apps\/web-[a-z0-9]{10}   2 {9}2 {9}2 {7}2m\d+s\n$/);
    expect(kubectl(c, 'get nodes').output.split('\n')[1]).toMatch(/^node-1   Ready    <none>   2m\d+s   v1\.32\.0$/);
    expect(kubectl(c, 'get pods -A').output.split('\n')[0]).toBe('NAMESPACE   NAME                   READY   STATUS    RESTARTS   AGE');
    expect(kubectl(c, 'get svc').output).toMatch(/^NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT\(S\)   AGE\nkubernetes   ClusterIP   10\.96\.0\.1    <none>        443\/TCP   2m\d+s\n$/);
    expect(kubectl(c, 'get svc -n kube-system').output).toBe('No resources found in kube-system namespace.\n');
    expect(kubectl(c, 'get pods -o name').output).toMatch(/^pod\/web-\S+\npod\/web-\S+\n$/);
    expect(kubectl(c, 'get pods -o custom-columns=NODE:.spec.nodeName').output).toMatch(/^NODE\nnode-\d\nnode-\d\n$/);
    expect(kubectl(c, 'get pod nope')).toEqual({ output: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(kubectl(c, 'get widgets')).toEqual({ output: 'error: the server doesn\'t have a resource type "widgets"\n', exitCode: 1 });
    expect(kubectl(c, 'get pods -o yaml').output).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n/);
  });

  it('get on a custom resource: NAME, then the CRD\'s printer columns (Age when it names none), as the real kubectl shows them', () => {
    const c = Cluster.create({ seed: 'views-crd' });
    const crd = (name: string, columns: string) =>
      `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: ${name}s.example.com }\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { plural: ${name}s, kind: ${name[0]!.toUpperCase()}${name.slice(1)} }\n  versions:\n  - name: v1\n    served: true\n    storage: true\n${columns}    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }\n`;
    c.apply(crd('plain', ''));
    c.apply(crd('sized', '    additionalPrinterColumns:\n    - { name: Size, type: integer, jsonPath: .spec.size }\n    - { name: Owner, type: string, jsonPath: .spec.owner, priority: 1 }\n'));
    c.apply('apiVersion: example.com/v1\nkind: Plain\nmetadata: { name: p }\n---\napiVersion: example.com/v1\nkind: Sized\nmetadata: { name: s }\nspec: { size: 4.0 }\n');
    c.advance(30_000);
    expect(kubectl(c, 'get plains').output).toBe('NAME   AGE\np      30s\n');
    expect(kubectl(c, 'get sizeds').output).toBe('NAME   SIZE\ns      4\n');
    expect(kubectl(c, 'get sizeds -o wide').output).toBe('NAME   SIZE   OWNER\ns      4      \n');
  });

  it('describe pod: kubectl\'s layout, from Name to the Events table', () => {
    const c = Cluster.create({ seed: 'views-describe' });
    c.apply(web);
    c.waitForCondition('deployment', 'web', 'Available');
    c.advance(60_000);
    const pod = c.list('pods')[0].metadata.name;
    const text = kubectl(c, `describe pod ${pod}`).output;
    const lines = text.split('\n');
    expect(lines.slice(0, 4)).toEqual([`Name:             ${pod}`, 'Namespace:        default', 'Priority:         0', 'Service Account:  default']);
    expect(text).toContain('Labels:           app=web\n                  pod-template-hash=');
    expect(text).toContain(`Controlled By:  ReplicaSet/${pod.split('-').slice(0, 2).join('-')}\nContainers:\n  nginx:\n    Container ID:   containerd://`);
    expect(text).toContain('    Port:           80/TCP\n    Host Port:      0/TCP\n    State:          Running\n');
    expect(text).toContain('    Restart Count:  0\n    Readiness:      http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3\n    Environment:    <none>\n    Mounts:\n');
    expect(text).toContain('Conditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n');
    expect(text).toContain('QoS Class:                   BestEffort\nNode-Selectors:              <none>\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n');
    expect(text).toMatch(/Events:\n  Type    Reason     Age   From               Message\n  ----    ------     ----  ----               -------\n  Normal  Scheduled  \d+s   default-scheduler  Successfully assigned default\//);
  });

  it('describe deployment, replicaset, service and node: kubectl\'s sections and alignment', () => {
    const c = Cluster.create({ seed: 'views-describe-more' });
    c.apply(web + '---\napiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }\n');
    c.waitForCondition('deployment', 'web', 'Available');
    c.advance(30_000);
    const d = kubectl(c, 'describe deployment web').output;
    expect(d).toContain('Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n');
    expect(d).toContain('Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\nOldReplicaSets:  <none>\nNewReplicaSet:   web-');
    expect(d).toMatch(/Normal  ScalingReplicaSet  \d+s +deployment-controller  Scaled up replica set web-[a-z0-9]+ from 0 to 2\n$/);
    const rs = kubectl(c, 'describe rs').output;
    expect(rs).toMatch(/^Name:           web-[a-z0-9]+\nNamespace:      default\nSelector:       app=web,pod-template-hash=[a-z0-9]+\n/);
    expect(rs).toContain('Replicas:       2 current / 2 desired\nPods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n');
    const svc = kubectl(c, 'describe svc web').output;
    expect(svc).toMatch(/Port:\s+<unset>  80\/TCP\nTargetPort:\s+80\/TCP\nEndpoints:\s+10\.244\.\d\.\d:80,10\.244\.\d\.\d:80\n/);
    const node = kubectl(c, 'describe node node-1').output;
    expect(node).toContain('Lease:\n  HolderIdentity:  node-1\n  AcquireTime:     <unset>\n');
    expect(node).toMatch(/Conditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n/);
    expect(node).toContain('Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
    expect(node).toMatch(/Non-terminated Pods:          \(\d in total\)\n  Namespace                   Name/);
  });

  it('rollout status follows a rollout in virtual time; rollout history lists revisions; a stalled rollout fails with kubectl\'s error', () => {
    const c = Cluster.create({ seed: 'views-rollout' });
    c.apply(web);
    const first = kubectl(c, 'rollout status deployment/web');
    expect(first.exitCode).toBe(0);
    expect(first.output.split('\n').filter((l) => l !== '').slice(-1)).toEqual(['deployment "web" successfully rolled out']);
    expect(first.output).toMatch(/Waiting for deployment "web" rollout to finish: \d (out of 2 new replicas have been updated|of 2 updated replicas are available)\.\.\./);
    c.setImage('deployment', 'web', 'nginx', 'nginx:1.28');
    const second = kubectl(c, 'rollout status deploy web');
    expect(second.exitCode).toBe(0);
    expect(second.output).toContain('old replicas are pending termination...');
    expect(kubectl(c, 'rollout history deployment/web').output).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(kubectl(c, 'rollout history deployment/web --revision=1').output).toMatch(/^deployment\.apps\/web with revision #1\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:  +nginx:1\.27\n/);
    c.patch('deployment', 'web', { spec: { progressDeadlineSeconds: 30, template: { spec: { containers: [{ name: 'nginx', image: 'example.com/nope:1' }] } } } });
    const stalled = kubectl(c, 'rollout status deployment/web');
    expect(stalled.exitCode).toBe(1);
    expect(stalled.output.endsWith('error: deployment "web" exceeded its progress deadline\n')).toBe(true);
    expect(kubectl(c, 'rollout status deployment/web --timeout=1s --watch=false').output).toBe('error: deployment "web" exceeded its progress deadline\n');
  });

  it('logs: --tail, -c, errors', () => {
    const c = Cluster.create({ seed: 'views-logs' });
    c.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two' }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'busybox', command: ['sh', '-c', 'echo 1; echo 2; echo 3'] }, { name: 'b', image: 'busybox', command: ['sh', '-c', 'echo b'] }] } });
    c.waitFor('done', () => (c.peek('pod', 'two') as any)?.status?.phase === 'Succeeded');
    expect(kubectl(c, 'logs two -c a --tail=2')).toEqual({ output: '2\n3\n', exitCode: 0 });
    expect(kubectl(c, 'logs two')).toEqual({ output: 'Error from server (BadRequest): a container name must be specified for pod two, choose one of: [a b]\n', exitCode: 1 });
    // --previous reads the instance before the last restart.
    c.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'counter' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo started; sleep 3600'] }] } });
    c.waitForCondition('pod', 'counter', 'Ready');
    expect(kubectl(c, 'logs counter --previous')).toEqual({ output: 'Error from server (BadRequest): previous terminated container "c" in pod "counter" not found\n', exitCode: 1 });
    c.killContainer('counter');
    c.waitFor('the restart', () => (c.peek('pod', 'counter') as any)?.status?.containerStatuses?.[0]?.restartCount === 1 && (c.peek('pod', 'counter') as any)?.status?.containerStatuses?.[0]?.state?.running !== undefined);
    expect(kubectl(c, 'logs counter -p')).toEqual({ output: 'started\n', exitCode: 0 });
    expect(kubectl(c, 'logs counter --timestamps').output).toMatch(/^2026-01-01T00:00:\d\d\.\d+Z started\n$/);
  });
});
