import type { Rule } from './types';
import { syntaxError } from './codes/syntax-error';
import { profileUnknown } from './codes/profile-unknown';
import { schemasMissing } from './codes/schemas-missing';
import { schemaUnknown } from './codes/schema-unknown';
import { requiredMissing } from './codes/required-missing';
import { typeMismatch } from './codes/type-mismatch';
import { unknownAttribute } from './codes/unknown-attribute';
import { attributeCase } from './codes/attribute-case';
import { duplicateAttribute } from './codes/duplicate-attribute';
import { canonicalValue } from './codes/canonical-value';
import { readOnlyAttribute } from './codes/read-only-attribute';
import { primaryDuplicate } from './codes/primary-duplicate';
import { ownerMissing } from './codes/owner-missing';
import { ownerUnresolved } from './codes/owner-unresolved';
import { credentialUnbound } from './codes/credential-unbound';
import { credentialShared } from './codes/credential-shared';
import { certificateInvalid } from './codes/certificate-invalid';
import { certificateExpired } from './codes/certificate-expired';
import { certificateExpiring } from './codes/certificate-expiring';
import { secretInline } from './codes/secret-inline';
import { duplicateIdentifier } from './codes/duplicate-identifier';
import { referenceUnresolved } from './codes/reference-unresolved';
import { parentCycle } from './codes/parent-cycle';
import { ownerOrphaned } from './codes/owner-orphaned';
import { POLICY_RULES } from './policy';

/** Every rule, in catalogue order. Rule codes are a public contract: never rename one. */
export const RULES: readonly Rule[] = [
  syntaxError,
  schemasMissing,
  schemaUnknown,
  profileUnknown,
  requiredMissing,
  typeMismatch,
  unknownAttribute,
  attributeCase,
  duplicateAttribute,
  canonicalValue,
  readOnlyAttribute,
  primaryDuplicate,
  ownerMissing,
  ownerUnresolved,
  credentialUnbound,
  credentialShared,
  certificateInvalid,
  certificateExpired,
  certificateExpiring,
  secretInline,
  duplicateIdentifier,
  referenceUnresolved,
  parentCycle,
  ownerOrphaned,
  ...POLICY_RULES,
];

const byCode = new Map(RULES.map((r) => [r.code, r]));

export function ruleFor(code: string): Rule | undefined {
  return byCode.get(code);
}

export const RULE_CODES: readonly string[] = RULES.map((r) => r.code);

/** Reported when a rule itself throws: the user still gets every other finding. */
export const INTERNAL_ERROR_CODE = 'internal-error';
