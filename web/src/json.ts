// Small typed readers for untrusted JSON objects: a wrong type reads as the fallback.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function parseJsonObject(payload: string | Uint8Array): JsonObject | null {
  const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? (v as JsonObject) : null;
  } catch {
    return null;
  }
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function num(o: JsonObject, key: string, fallback: number): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function numOrNull(o: JsonObject, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(o: JsonObject, key: string, fallback: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : fallback;
}

export function strOrNull(o: JsonObject, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

export function bool(o: JsonObject, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function oneOf<T extends string>(
  o: JsonObject,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = o[key];
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}
