// Typed text → command, conservatively: pastes that start with a command word still reach the matcher.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/conversation/commands.ts';

describe('parseCommand', () => {
  it('reads commands, with the /ehlo and ehlo: forms and aliases', () => {
    expect(parseCommand('status')).toEqual({ name: 'status', args: '' });
    expect(parseCommand('/ehlo next')).toEqual({ name: 'next', args: '' });
    expect(parseCommand('ehlo: failed no MX record')).toEqual({ name: 'failed', args: 'no MX record' });
    expect(parseCommand('probe smtp mail.contoso.com:25')).toEqual({ name: 'probe', args: 'smtp mail.contoso.com:25' });
    expect(parseCommand('playbooks starttls')).toEqual({ name: 'playbooks', args: 'starttls' });
    expect(parseCommand('set host mail.contoso.com')).toEqual({ name: 'set', args: 'host mail.contoso.com' });
    expect(parseCommand('?')).toEqual({ name: 'help', args: '' });
    expect(parseCommand('note line one\nline two')).toEqual({ name: 'note', args: 'line one\nline two' });
  });

  it('leaves pastes alone even when they start with a command word', () => {
    expect(parseCommand('Check your SPF record')).toBeUndefined();
    expect(parseCommand('help me, mail is stuck in the queue')).toBeUndefined();
    expect(parseCommand('Probe failed with 451 4.4.0')).toBeUndefined();
    expect(parseCommand('Start-Service MSExchangeTransport')).toBeUndefined();
    expect(parseCommand('Delivery has failed to these recipients or groups:')).toBeUndefined();
    expect(parseCommand('failed\nRemote Server returned 550 5.1.1')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
  });
});
