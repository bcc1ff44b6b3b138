// Public library API of the ClvCalculator models: filled in by the ClvCalculator work.
export {};
