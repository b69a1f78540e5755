"""eih: planning and administration for Ervaring in Huis."""
