"""The pipeline: the stage registry, the run of one analysis and the Dask engine."""
