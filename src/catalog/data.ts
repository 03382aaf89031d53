/**
 * The framework catalogue Steward ships: typed views over the JSON in ./data. The JSON is a
 * copy of the project's reference data (identifiers and titles, each file with a provenance
 * line); it is bundled with the code because production has no reference folder.
 */
import nistRmfJson from './data/nist-ai-rmf-1.0.json';
import isoJson from './data/iso-iec-42001-2023-annex-a.json';
import owaspJson from './data/owasp-llm-2025.json';
import gaiJson from './data/nist-ai-600-1.json';
import euJson from './data/eu-ai-act.json';

export type NistFunction = 'GOVERN' | 'MAP' | 'MEASURE' | 'MANAGE';

export interface NistRmfCategory {
  id: string; // "GOVERN 1"
  function: NistFunction;
  text: string;
}
export interface NistRmfSubcategory {
  id: string; // "GOVERN 1.1"
  function: NistFunction;
  category: string;
  text: string;
}
export interface IsoControl {
  id: string; // "A.6.2.6"
  title: string;
}
export interface IsoObjective {
  id: string; // "A.6"
  title: string;
  subObjectives?: IsoControl[];
  controls: IsoControl[];
}
export interface OwaspItem {
  id: string; // "LLM01:2025"
  name: string;
}
export interface GaiRisk {
  id: string; // "GAI 2.2" (Steward's handle for section 2.2)
  section: string;
  name: string;
  aliases: string[];
}
export interface EuArticle {
  id: string; // "Art. 9"
  number: string;
  title: string;
  /** false: a descriptive label of Steward's, not the Official Journal title. */
  official: boolean;
}
export interface EuRef {
  ref: string; // "Art. 5(1)(a)"
  summary: string;
}
export interface EuAnnexIIIArea {
  id: string; // "Annex III 4"
  point: number;
  area: string;
}
export interface EuArticleStructure {
  /** Numbered paragraphs (0: a single unnumbered paragraph). */
  paragraphs: number;
  /** Paragraph number -> lettered points. */
  points?: Record<string, string[]>;
}
export interface EuTransparencyObligation extends EuRef {
  actor: string;
}

export interface Catalogue {
  nistAiRmf: { provenance: string; categories: NistRmfCategory[]; subcategories: NistRmfSubcategory[] };
  iso42001: { provenance: string; objectives: IsoObjective[] };
  owaspLlm: { provenance: string; items: OwaspItem[] };
  nistGai: { provenance: string; risks: GaiRisk[] };
  euAiAct: {
    provenance: string;
    articles: EuArticle[];
    prohibitedPractices: EuRef[];
    annexIII: EuAnnexIIIArea[];
    transparencyObligations: EuTransparencyObligation[];
    seriousIncidentDeadlinesDays: { general: number; widespread_or_critical_infrastructure: number; death: number };
    /** Paragraphs and lettered points per article number, where known (see `_note` in the JSON). */
    structure: Record<string, EuArticleStructure | string>;
    /** Annex III point number -> its lettered sub-points (empty: the point has none). */
    annexIIIPoints: Record<string, string[]>;
  };
}

export const catalogue: Catalogue = {
  nistAiRmf: nistRmfJson as Catalogue['nistAiRmf'],
  iso42001: isoJson as Catalogue['iso42001'],
  owaspLlm: owaspJson,
  nistGai: gaiJson,
  euAiAct: euJson as Catalogue['euAiAct'],
};
