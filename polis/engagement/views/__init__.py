"""Pages of readers' feedback, one module per concept."""
