"""StreamField blocks for editors, one module per family (see the editors' toolkit)."""
