"""Training the shipped emotion model (needs the `train` extra: scikit-learn).

Nothing at runtime imports this package: the app reads the trained weights with numpy only.
"""
