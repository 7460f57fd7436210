"""The dashboard (``lanterne-rouge dashboard``): needs the optional ``[dashboard]`` extra."""
