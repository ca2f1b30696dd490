"""Drop-in APIs of other change-point libraries on turnpoint's solvers."""
