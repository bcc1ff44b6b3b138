// Public library API of the StageMover models: filled in by the StageMover work.
export {};
