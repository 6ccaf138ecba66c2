/** The organisation's policies as rules (codes in config/types.ts POLICY_CODES); inactive without a policy. */
import type { Rule } from '../types';
import { policyMinOwners } from './min-owners';
import { policySubjectPattern } from './subject-pattern';
import { policyCertificateValidity } from './certificate-validity';
import { policyHttpsUrls } from './https-urls';
import { policyProtocolTypes } from './protocol-types';
import { policyRequiredAttributes } from './required-attributes';

export const POLICY_RULES: readonly Rule[] = [
  policyMinOwners,
  policySubjectPattern,
  policyCertificateValidity,
  policyHttpsUrls,
  policyProtocolTypes,
  policyRequiredAttributes,
];
