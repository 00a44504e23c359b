"""Accompagner: permanences connectées, workshops and courses, attendance and attestations,
activity records aligned with La Coop de la médiation numérique, satisfaction."""
