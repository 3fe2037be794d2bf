/**
 * How kr-icreat records are compared for typed changes (issue 17): the nine columns of the
 * dataset, each of one type, and the facts of a version. 연구기간 (the study period) is a date.
 */
import type { ChangeFacts, ChangeProfile, ChangeType } from '../../domain/change.types.js';
import { commonFacts, typeByPrefix } from '../../domain/change.types.js';
import type { MappedTrial } from '../../domain/trial.types.js';
import type { KrIcreatSourceFields } from './kr-icreat-mapper.js';

const PATH_TYPES: readonly (readonly [string, ChangeType])[] = [
  ['과제명', 'title'],
  ['연구책임기관', 'sponsor'],
  ['진료과', 'sponsor'],
  ['전체목표연구대상자수', 'enrollment'],
  ['연구기간', 'dates'],
  ['연구종류', 'design'],
  ['연구범위', 'design'],
  ['임상시험단계(연구모형)', 'design'],
  ['과제번호', 'ids'],
];

function facts(trial: MappedTrial): ChangeFacts {
  const source = trial.sourceFields as unknown as KrIcreatSourceFields;
  const { institution, department } = trial.fields;
  return {
    ...commonFacts(trial),
    dates: { period: { date: source.normalized.period.text, type: null } },
    design: {
      phase: trial.fields.phase,
      studyType: trial.fields.studyType,
      scope: source.normalized.scope.code,
    },
    sponsors:
      institution === null ? [] : [department === null ? institution : `${institution} (${department})`],
  };
}

export const KR_ICREAT_CHANGES: ChangeProfile = {
  typeOfPath: typeByPrefix(PATH_TYPES, 'other'),
  facts,
};
