"""Browser pages of the diagnosis module, one module per group of pages.

rounds (list, open, status and close), answering (the step-by-step questionnaire), results (a round's
results, export and print), units (a unit's radar and trend, the heatmap comparing units) and
questionnaires (versions, copy and edit). diagnosis/urls.py routes to the modules directly.
"""
