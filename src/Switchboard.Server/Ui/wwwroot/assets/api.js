// Calls the agent's native API with the session's token (sessionStorage only, sent as X-Consul-Token).

const TOKEN_KEY = 'switchboard.token';
const ANONYMOUS_KEY = 'switchboard.anonymous';
export const API = '/service-discovery';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY) ?? '',
  anonymous: () => sessionStorage.getItem(ANONYMOUS_KEY) === '1',
  signIn(token) { sessionStorage.setItem(TOKEN_KEY, token); sessionStorage.removeItem(ANONYMOUS_KEY); },
  continueAnonymously() { sessionStorage.removeItem(TOKEN_KEY); sessionStorage.setItem(ANONYMOUS_KEY, '1'); },
  signOut() { sessionStorage.removeItem(TOKEN_KEY); sessionStorage.removeItem(ANONYMOUS_KEY); },
};

/** A failed call: status 0 when the agent could not be reached. */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
  get tokenNotFound() { return this.status === 403 && this.problem?.title === 'ACL not found.'; }
  get unreachable() { return this.status === 0; }
}

export function headers(extra) {
  const all = { Accept: 'application/json', ...extra };
  const token = session.token();
  if (token) all['X-Consul-Token'] = token;
  return all;
}

/** Fetches JSON from the agent; throws ApiError with the ProblemDetails' detail. */
export async function api(path, { method = 'GET', signal, json } = {}) {
  let response;
  try {
    const body = json === undefined ? undefined : JSON.stringify(json);
    response = await fetch(path, { method, headers: headers(body ? { 'Content-Type': 'application/json' } : {}), body, cache: 'no-store', signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The agent is unreachable.', null);
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    const detail = body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`;
    const error = new ApiError(response.status, detail, body);
    if (error.tokenNotFound) window.dispatchEvent(new CustomEvent('switchboard:token-rejected'));
    throw error;
  }
  return body;
}

export const routes = {
  services: () => `${API}/services`,
  instances: name => `${API}/services/${encodeURIComponent(name)}/instances`,
  instance: id => `${API}/instances/${encodeURIComponent(id)}`,
  aggregated: () => `${API}/health/aggregated`,
  registryHealth: () => '/health',
  permissions: service => `${API}/ui/permissions${service ? `?service=${encodeURIComponent(service)}` : ''}`,
  maintenance: id => `${API}/instances/${encodeURIComponent(id)}/maintenance`,
  events: () => `${API}/events`,
};
