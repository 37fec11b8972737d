//! Value scales: a round step for the grid and an axis end that is a
//! multiple of it.

/// A value axis from 0 to `max`, in steps of `step`.
pub(crate) struct Ticks {
    /// Distance between grid lines: 1, 2 or 5 times a power of ten.
    pub(crate) step: f64,
    /// The axis end: the data's maximum rounded up to a step.
    pub(crate) max: f64,
}

impl Ticks {
    /// The axis for values up to `max` (at least 1), about five steps.
    pub(crate) fn new(max: f64) -> Ticks {
        let step = nice_step(max);
        Ticks {
            step,
            max: (max / step).ceil() * step,
        }
    }

    /// 0, `every`, 2 × `every`, … up to the axis end.
    pub(crate) fn values(&self, every: f64) -> impl Iterator<Item = f64> {
        let end = self.max + 1e-9;
        std::iter::successors(Some(0.0), move |v| Some(v + every)).take_while(move |v| *v <= end)
    }
}

fn nice_step(max: f64) -> f64 {
    let raw = (max / 5.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_the_axis_ends_on_a_step() {
        let t = Ticks::new(23.0);
        assert_eq!((t.step, t.max), (5.0, 25.0));
        assert_eq!(
            t.values(t.step).collect::<Vec<_>>(),
            [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
        );
        let t = Ticks::new(1.0);
        assert_eq!((t.step, t.max), (1.0, 1.0));
        assert_eq!(t.values(t.max).collect::<Vec<_>>(), [0.0, 1.0]);
        assert_eq!(Ticks::new(140.0).step, 50.0);
    }
}
