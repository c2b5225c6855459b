"""The screens of the app, one module (or package) each: home, coding, themes, search,
tables, export, importing. ``base`` holds what every screen that shows project data shares."""
