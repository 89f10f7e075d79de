# author: Ada Lovelace
# date: 2026-11-30
# reason: Goal 4 names international organizations only in passing ("work with other international organizations"); too weak for a stakeholder link.
DELETE DATA { wco:goal-4 wcokg:involvesStakeholder wco:international-organizations }
