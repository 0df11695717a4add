"""Optional models: loaders for packaged model files (no network, no torch)."""
