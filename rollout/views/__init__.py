"""Browser pages of the rollout module, one module per page group: programs (the list, a new program, the
dashboard, the toolkit), steps and milestones, pilots, reviews and stories, the team, and the scale-up's waves and
workshops. ``rollout/urls.py`` imports the views from these modules."""
