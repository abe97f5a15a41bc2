"""Browser pages of the enablement module, one module per page group: the overview, journey maps (stages and
capability items), learning activities with their impact, scenarios and drills, team readiness and a person's
readiness. ``enablement/urls.py`` imports the views from these modules."""
