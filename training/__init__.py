"""Training of the shipped models (mention tagger, linking weights) and their cross-validation."""
