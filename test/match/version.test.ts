import { describe, expect, it } from 'vitest';
import { applicability, notApplicableNote, statedVersions, versionOfBuild } from '../../src/match/version.ts';

const versions = (t: string) => statedVersions(t).map((s) => s.version);

describe('the Exchange version a paste states', () => {
  it('reads build numbers', () => {
    expect(versionOfBuild('15.1.2507.6')).toBe('2016');
    expect(versionOfBuild('15.2.1544.4')).toBe('2019');
    expect(versionOfBuild('15.2.2562.17')).toBe('SE');
    expect(versionOfBuild('15.0.1497.2')).toBe('2013');
    expect(versionOfBuild('14.3.123.4')).toBe('2010');
    expect(versionOfBuild('8.3.83.6')).toBe('2007');
    expect(versionOfBuild('10.0.19041.1')).toBeUndefined();
  });
  it('reads product names and builds in prose', () => {
    expect(versions('After installing CU23 on our Exchange Server 2016 (15.1.2507.6) the OOF stopped')).toEqual(['2016']);
    expect(versions('we moved to Exchange SE last month')).toEqual(['SE']);
    expect(versions('Version 15.2 (Build 1118.7)')).toEqual(['2019']);
  });
  it('knows Exchange Online by name and by its hosts, and 21Vianet apart', () => {
    expect(versions("Remote Server returned '550 5.1.1' [DM6PR01MB1234.namprd01.prod.outlook.com]")).toEqual(['Online']);
    const v = statedVersions('451 5.7.3 STARTTLS [BJXPR01CA0050.CHNPR01.prod.partner.outlook.cn]');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ version: 'Online', vianet: true });
    expect(v[0]?.evidence).toMatch(/partner\.outlook\.cn/);
  });
  it('states nothing for a paste with no version', () => {
    expect(statedVersions('550 5.7.1 Unable to relay')).toEqual([]);
  });
  it('says when a playbook does not apply to the stated version', () => {
    const onPrem = { appliesTo: { versions: ['2013', '2016', '2019', 'SE'] as const } } as never;
    expect(applicability(onPrem, statedVersions('Exchange Online tenant'))).toMatchObject({ applies: false });
    expect(notApplicableNote(applicability(onPrem, statedVersions('Exchange Online tenant')))).toMatch(/^Does not apply to Exchange Online \(the version the paste states\): this playbook is written for Exchange 2013/);
    expect(applicability(onPrem, statedVersions('Exchange 2019 CU14'))).toEqual({ applies: true });
    expect(applicability(onPrem, [])).toEqual({ applies: 'unknown' });
  });
  it('stays bounded on hostile input', () => {
    const t0 = performance.now();
    statedVersions('15.1.'.repeat(200_000) + 'Exchange '.repeat(100_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
