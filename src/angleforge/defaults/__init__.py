"""The workspace files angleforge ships: the prompt templates, the eval suites, the starter
brief and the settings file.

In the repository these are links to the workspace at its root, which holds the one copy of
each; a build copies the files they point to into the package, so an installed angleforge
carries them. A workspace without prompts/ or evals/ of its own uses these, and
`angleforge init` writes a new workspace from them.
"""
