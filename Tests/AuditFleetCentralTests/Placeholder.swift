// placeholder until the fleet-central tests merge
