import { describe, expect, it } from 'vitest';
import { allowedOrigins, hostAllowed, isLoopbackHost, originAllowed } from './origin.js';

describe('origin and host checks', () => {
  const allowed = allowedOrigins(3939, ['https://app.example.com/']);

  it('allows no Origin, localhost origins of the port and configured ones', () => {
    expect(originAllowed(undefined, allowed)).toBe(true);
    expect(originAllowed('http://localhost:3939', allowed)).toBe(true);
    expect(originAllowed('http://127.0.0.1:3939/', allowed)).toBe(true);
    expect(originAllowed('https://app.example.com', allowed)).toBe(true);
  });

  it('refuses other origins, other ports and the null origin', () => {
    expect(originAllowed('http://evil.example', allowed)).toBe(false);
    expect(originAllowed('http://localhost:3000', allowed)).toBe(false);
    expect(originAllowed('null', allowed)).toBe(false);
  });

  it('checks the Host header for loopback binds', () => {
    expect(hostAllowed('127.0.0.1:3939', 3939)).toBe(true);
    expect(hostAllowed('localhost:3939', 3939)).toBe(true);
    expect(hostAllowed('rebound.attacker.example:3939', 3939)).toBe(false);
    expect(hostAllowed(undefined, 3939)).toBe(false);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
