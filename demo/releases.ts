/**
 * The demo's "releases": every few minutes the loopback registries change some of their records the
 * way the real ones do, so the mirror has something to notice (a status change, more participants,
 * a new site, a link to another registry, a study withdrawn from the listing and back, a Korean
 * record's new target). Deterministic: release N always changes the same records the same way.
 */
import type { FakeStudy } from '../testkit/fake-ctgov.js';
import type { FakeUpstream } from '../testkit/fake-upstream.js';

/** What a release did, one line per change, for the demo's console. */
export type ReleaseLog = string[];

/** The next status of a study still running, for the demo's status changes. */
const NEXT_STATUS: Readonly<Record<string, string>> = {
  NOT_YET_RECRUITING: 'RECRUITING',
  RECRUITING: 'ACTIVE_NOT_RECRUITING',
  ENROLLING_BY_INVITATION: 'ACTIVE_NOT_RECRUITING',
  ACTIVE_NOT_RECRUITING: 'COMPLETED',
};

const KR_TARGET_FIELD = '전체목표연구대상자수';

interface ReleaseState {
  /** A study the previous release took out of the listing, served again by the next one. */
  removed: FakeStudy | undefined;
}

/** Applies releases to the loopback registries; `apply(n)` for n = 1, 2, 3, … */
export class DemoReleases {
  private readonly state: ReleaseState = { removed: undefined };

  constructor(
    private readonly upstream: FakeUpstream,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  apply(release: number): ReleaseLog {
    const log: ReleaseLog = [];
    this.ctgov(release, log);
    this.cris(release, log);
    this.kr(release, log);
    return log;
  }

  private ctgov(release: number, log: ReleaseLog): void {
    const { ctgov } = this.upstream;
    const today = this.today();
    const touched = new Set<string>();
    const ids = ctgov.ids();
    if (ids.length === 0) return;
    const pick = (stride: number, accept: (study: FakeStudy) => boolean = () => true): string | undefined => {
      for (let step = 0; step < ids.length; step += 1) {
        const id = ids[(release * stride + step) % ids.length]!;
        const study = ctgov.study(id);
        if (study !== undefined && !touched.has(id) && accept(study)) return id;
      }
      return undefined;
    };

    const statusId = pick(17, (study) => protocol(study).statusModule?.overallStatus in NEXT_STATUS);
    if (statusId !== undefined) {
      ctgov.updateStudy(statusId, (study) => {
        const status = protocol(study).statusModule;
        const from = String(status.overallStatus);
        status.overallStatus = NEXT_STATUS[from];
        if (status.overallStatus === 'COMPLETED' && status.completionDateStruct !== undefined) {
          status.completionDateStruct = { date: today, type: 'ACTUAL' };
        }
        log.push(`ctgov ${statusId}: status ${from} → ${String(status.overallStatus)}`);
      });
      touched.add(statusId);
    }

    const enrollmentId = pick(
      23,
      (study) => typeof protocol(study).designModule?.enrollmentInfo?.count === 'number',
    );
    if (enrollmentId !== undefined) {
      ctgov.updateStudy(enrollmentId, (study) => {
        const info = protocol(study).designModule.enrollmentInfo;
        const from = Number(info.count);
        info.count = Math.round(from * 1.1) + 1;
        info.type = 'ACTUAL';
        log.push(`ctgov ${enrollmentId}: enrollment ${from} → ${String(info.count)} (ACTUAL)`);
      });
      touched.add(enrollmentId);
    }

    const siteId = pick(29);
    if (siteId !== undefined) {
      ctgov.updateStudy(siteId, (study) => {
        const section = protocol(study);
        section.contactsLocationsModule ??= {};
        section.contactsLocationsModule.locations ??= [];
        section.contactsLocationsModule.locations.push({
          facility: `Seoul National University Hospital (demo site ${release})`,
          status: 'RECRUITING',
          city: 'Seoul',
          country: 'Korea, Republic of',
          geoPoint: { lat: 37.5796, lon: 126.9996 },
        });
        log.push(`ctgov ${siteId}: a site added in Seoul`);
      });
      touched.add(siteId);
    }

    // A link between registries: a ClinicalTrials.gov study names a CRIS registration.
    const crisIds = this.upstream.cris.trials.map((trial) => String(trial.list.trial_id));
    const linkId = pick(31);
    if (linkId !== undefined && crisIds.length > 0) {
      const crisId = crisIds[release % crisIds.length]!;
      ctgov.updateStudy(linkId, (study) => {
        const identification = protocol(study).identificationModule;
        identification.secondaryIdInfos ??= [];
        identification.secondaryIdInfos.push({ id: crisId, type: 'REGISTRY', domain: 'CRIS' });
        log.push(`ctgov ${linkId}: names the CRIS registration ${crisId}`);
      });
      touched.add(linkId);
    }

    for (const id of touched) ctgov.setLastUpdatePostDate(id, today);

    // Every other release a study leaves the listing; the next release serves it again.
    if (this.state.removed !== undefined) {
      const back = this.state.removed;
      this.state.removed = undefined;
      ctgov.addStudy(back);
      const id = String(protocol(back).identificationModule.nctId);
      ctgov.setLastUpdatePostDate(id, today);
      log.push(`ctgov ${id}: listed again`);
    } else {
      const goneId = pick(37);
      if (goneId !== undefined) {
        this.state.removed = structuredClone(ctgov.study(goneId));
        ctgov.removeStudy(goneId);
        log.push(`ctgov ${goneId}: no longer listed`);
      }
    }
  }

  private cris(release: number, log: ReleaseLog): void {
    const { cris } = this.upstream;
    if (cris.trials.length === 0) return;
    const trial = cris.trials[release % cris.trials.length]!;
    const id = String(trial.list.trial_id);
    const recruiting = trial.detail.recruitment_status_en === 'Recruiting';
    const [en, kr] = recruiting ? ['Completed', '연구종결'] : ['Recruiting', '대상자 모집 중'];
    const today = this.today();
    cris.updateTrial(id, {
      list: { date_updated: today },
      detail: {
        recruitment_status_en: en,
        recruitment_status_kr: kr,
        date_updated: today.replace(/-/g, '/'),
      },
    });
    log.push(`cris ${id}: recruitment status → ${en}`);
  }

  private kr(release: number, log: ReleaseLog): void {
    const { kr } = this.upstream;
    if (kr.records.length === 0) return;
    const record = kr.records[(release * 5) % kr.records.length]!;
    const id = String(record['과제번호']);
    const from = Number(record[KR_TARGET_FIELD]);
    const to = Number.isFinite(from) ? from + 10 : 10;
    kr.updateRecord(id, { [KR_TARGET_FIELD]: String(to) });
    log.push(`kr-icreat ${id}: target enrollment ${Number.isFinite(from) ? from : '?'} → ${to}`);
  }
}

// The studies are the registry's JSON: reached through `any`-typed sections on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function protocol(study: FakeStudy): any {
  return (study as { protocolSection: unknown }).protocolSection;
}
