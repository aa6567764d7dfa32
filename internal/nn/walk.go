package nn

// Walk calls fn on l and, depth first in execution order, on every layer
// nested in Sequential and Residual containers.
func Walk(l Layer, fn func(Layer)) {
	fn(l)
	switch v := l.(type) {
	case *Sequential:
		for _, c := range v.Layers {
			Walk(c, fn)
		}
	case *Residual:
		Walk(v.Pre, fn)
		Walk(v.Body, fn)
		if v.Shortcut != nil {
			Walk(v.Shortcut, fn)
		}
	}
}
