import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UserInfo } from '../server/request.js';
import { identities } from './authn.js';

/** The API server's issuer and default audience (kube-apiserver --service-account-issuer / --api-audiences, as kubeadm sets them). */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/**
 * Service account tokens as the TokenRequest API issues them: JWTs with
 * upstream's claims (pkg/serviceaccount/claims.go). They are signed with an
 * HMAC key of the cluster (HS256) instead of the issuer's RSA key: clients
 * treat tokens as opaque, and this keeps one seed, one token.
 */
export class ServiceAccountTokens {
  constructor(private readonly key: Buffer) {}

  issue(claims: TokenClaims): string {
    const body = `${b64({ alg: 'HS256', kid: createHmac('sha256', this.key).update('kid').digest('base64url').slice(0, 43) })}.${b64(claims)}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The claims of a token this cluster signed, or undefined (not ours, tampered with). */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
  }

  /**
   * Who a token is, if it is valid now for this API server's audience and
   * its service account still exists with the same uid (upstream's
   * validator: expired, wrong audience or deleted account → 401).
   */
  authenticate(token: string, nowSeconds: number, serviceAccountUid: (namespace: string, name: string) => string | undefined): UserInfo | undefined {
    const claims = this.verify(token);
    if (claims === undefined || claims.iss !== ISSUER || !claims.aud.includes(ISSUER)) return undefined;
    if (nowSeconds >= claims.exp || nowSeconds < claims.nbf) return undefined;
    const { namespace, serviceaccount } = claims['kubernetes.io'];
    if (serviceAccountUid(namespace, serviceaccount.name) !== serviceaccount.uid) return undefined;
    return identities.serviceAccount(namespace, serviceaccount.name);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
