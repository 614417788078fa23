/*
 * The fiche sanitaire's words: what the child eats at the canteen, and the marks an attendance sheet shows of a
 * child's health without its details.
 */

/**
 * What the kitchen serves the child. No « sans porc »: a meal chosen for religious reasons is data the CNIL's
 * norm for these services excludes (NS-058); the town's meatless menu answers it without saying why.
 */
export const MEAL_PLANS = ['standard', 'without_meat', 'adapted', 'packed'] as const;
export type MealPlan = (typeof MEAL_PLANS)[number];

export const MEAL_PLAN_LABELS: Record<MealPlan, string> = {
  standard: 'Menu standard',
  without_meat: 'Menu sans viande',
  adapted: 'Menu adapté (allergie, PAI)',
  packed: 'Panier repas fourni par la famille (PAI)',
};

/** The short forms a sheet's column can hold. */
export const MEAL_PLAN_SHORT: Record<MealPlan, string> = {
  standard: '',
  without_meat: 'sans viande',
  adapted: 'menu adapté',
  packed: 'panier repas',
};

/** What staff see of a child's fiche on an attendance sheet: that there is something, never what. */
export interface HealthMarks {
  /** A projet d'accueil individualisé: the child's kit and protocol go where the child goes. */
  pai: boolean;
  allergy: boolean;
  meal: MealPlan;
  /** Other information on the fiche (treatment, remarks): ask to read it. */
  other: boolean;
}

/** The marks in words, as the sheet on screen and on paper prints them: « PAI · allergie · panier repas ». */
export function healthMarkWords(m: HealthMarks): string[] {
  return [
    ...(m.pai ? ['PAI'] : []),
    ...(m.allergy ? ['allergie'] : []),
    ...(m.meal !== 'standard' ? [MEAL_PLAN_SHORT[m.meal]] : []),
    ...(m.other && !m.pai && !m.allergy ? ['fiche santé'] : []),
  ];
}
